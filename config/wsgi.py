import os

from config.threads import one_thread_per_process

one_thread_per_process()  # before numpy is imported (config/threads.py)

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Load the recommender's model in each web worker now, not on a viewer's first click.
from recommender.catalogue_facts import warm_up  # noqa: E402

warm_up()
