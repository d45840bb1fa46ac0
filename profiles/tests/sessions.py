"""Signing a test client in as a profile, the way "Who's watching?" leaves the session."""

from profiles.access import SESSION_KEY


def login_as(client, profile) -> None:
    client.force_login(profile.household)
    session = client.session
    session[SESSION_KEY] = profile.pk
    session.save()
