import pytest
from django.core.handlers.wsgi import WSGIHandler


@pytest.mark.django_db
def test_the_wsgi_application_is_djangos_own_handler():
    """Every request goes through Django's full middleware stack: nothing answers before it."""
    from config.wsgi import application

    assert type(application) is WSGIHandler
