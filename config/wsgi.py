import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

# An unchanged home page or rail is answered from the cache before Django builds a request.
from catalog.page_cache import wsgi_application  # noqa: E402

application = wsgi_application(django_application)

# Load the recommender's model in each web worker now, not on a viewer's first click.
from recommender.artifacts import warm_up  # noqa: E402

warm_up()
