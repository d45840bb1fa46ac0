"""Gamification: badges for breadth and discovery, weekly challenges with streaks, and the
leaderboards. Rules and generation are pure reads (badges.py, challenges.py, leaderboard.py);
every write is in services.py and runs after a viewing signal commits (tasks.py)."""
