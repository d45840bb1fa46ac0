"""Every route, every parameter it reads, every hostile value: no answer is a 500 (#16).

Where test_fuzz.py samples requests at random, this sweep is exhaustive over a short list of
values known to break parsers and databases, and runs **without** the NUL-byte middleware, so
each view's own forms must refuse a NUL before it reaches PostgreSQL. The Django admin is swept
too, as a superuser, with the middleware (its changelists take search, ordering and paging
parameters).
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import override_settings
from django.urls import reverse

from config.tests.test_fuzz import ROUTES, names_read_by
from profiles.models import Profile
from profiles.tests.factories import AccountFactory
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db

HOSTILE = ["a\x00b", "99999999999999999999", "1e309", "-1", "NaN", "x" * 2000, "//evil.example/"]
WITHOUT_NUL_GUARD = [
    m for m in settings.MIDDLEWARE if m != "config.middleware.RejectNulBytesMiddleware"
]


def fill(route: str, household) -> str:
    """The route with real ids and slugs in its path (the hostile part is the parameters)."""
    title, adult = household["titles"][0], household["adult"]
    path = route.replace("<slug:slug>", title.slug).replace("<slug:key>", "for-you")
    for name in ("profile_id", "search_id"):
        path = path.replace(f"<int:{name}>", str(adult.pk))
    path = path.replace("<int:title_id>", str(title.pk))
    return "/" + path.replace("<uidb64>", "MQ").replace("<token>", "set-password")


@override_settings(MIDDLEWARE=WITHOUT_NUL_GUARD)
@pytest.mark.parametrize("route,view", ROUTES, ids=[route or "home" for route, _ in ROUTES])
def test_every_parameter_with_every_hostile_value(client, household, route, view):
    adult, names = household["adult"], names_read_by(view)
    path = fill(route, household)
    failures = []
    for value in HOSTILE:
        for send in (client.get, client.post):
            # Every name at once; a NUL also in each name alone (one 400 cannot hide another).
            singles = [{name: value} for name in names] if "\x00" in value else []
            for params in [dict.fromkeys(names, value), *singles]:
                if not Profile.objects.filter(pk=adult.pk).exists():  # a delete took it
                    adult.pk = None
                    adult.save()
                login_as(client, adult)
                status = send(path, params).status_code
                if status >= 500:
                    failures.append((send.__name__, path, params, status))
    assert not failures


@pytest.fixture
def superuser(client):
    account = AccountFactory(is_staff=True, is_superuser=True)
    client.force_login(account)
    return account


ADMIN_PARAMETERS = ["q", "o", "p", "e", "all", "_to_field", "_popup", "id__exact", "title__gt"]


def test_admin_changelists_and_forms_never_answer_500(client, superuser, household):
    failures = []
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        pages = [
            changelist,
            reverse("admin:{}_{}_add".format(*info)),
            changelist + "99999999999999999999/change/",
            changelist + "a%00b/change/",
        ]
        for value in ("a\x00b", "99999999999999999999", "-1"):
            for page in pages:
                for params in [dict.fromkeys(ADMIN_PARAMETERS, value), {"q": value}, {"o": value}]:
                    for send in (client.get, client.post):
                        status = send(page, params).status_code
                        if status >= 500:
                            failures.append((send.__name__, page, params, status))
    assert not failures
