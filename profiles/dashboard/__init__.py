"""The "Your Marquee" pages' reads: viewing statistics (stats.py), the taste profile
(taste_profile.py), the year in review (year_review.py) and their SVG charts (charts.py)."""
