"""The audit log in the Django admin: listed, and read-only even for a superuser."""

import pytest

from curator.models import AuditEntry
from curator.services import pin_save
from profiles.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_audit_entries_are_listed_and_cannot_be_added_changed_or_deleted(
    client, curator_user, cast
):
    pin_save(actor=curator_user, fields={"title": cast["titles"]["g"], "rail_key": "for-you",
                                         "position": 1, "audience": "all"})  # fmt: skip
    client.force_login(AccountFactory(is_staff=True, is_superuser=True))
    listing = client.get("/admin/curator/auditentry/")
    assert listing.status_code == 200 and b"Pin Sunny Meadow" in listing.content
    entry = AuditEntry.objects.get()
    assert client.get("/admin/curator/auditentry/add/").status_code == 403
    assert (
        client.post(f"/admin/curator/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(f"/admin/curator/auditentry/{entry.pk}/change/", {"summary": "rewritten"})
    entry.refresh_from_db()
    assert entry.summary.startswith("Pin Sunny Meadow")
