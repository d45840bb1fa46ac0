"""Writes for households, profiles and every viewer signal, by theme:
household.py (accounts, profiles, PIN, preferences), signals.py (feedback, ratings, watching,
My List, saved searches), events.py (API client event batches), onboarding.py and
title_stats.py (vote counts and popularity from that activity). Import from here."""

from profiles.services.events import *  # noqa: F403
from profiles.services.household import *  # noqa: F403
from profiles.services.onboarding import *  # noqa: F403
from profiles.services.signals import *  # noqa: F403
from profiles.services.title_stats import *  # noqa: F403
