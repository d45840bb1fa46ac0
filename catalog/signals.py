"""What the catalogue tells the apps above it. `catalog` imports no other app, so the rails
pipeline listens here instead of being called (recommender/apps.py connects it)."""

from django.dispatch import Signal

# Sent after the commit of any write that changes titles a viewer may see (certification,
# name, artwork, genres...), with `title_ids` (None: any title). See catalog.services.
titles_changed = Signal()
