"""The studio's views: htmx answers with the section it changed, a plain post redirects, bad
input is a 400 with its message, unknown kinds and ids are 404, wrong methods 405."""

import pytest

from config.tests.test_no_emoji import emoji_in
from curator.models import AuditEntry, Collection, Pin
from curator.services import collection_save

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def signed_in(client, curator_user):
    client.force_login(curator_user)
    return client


def _pin_data(title, **extra):
    return {"title": title.slug, "rail_key": "for-you", "position": 1, "audience": "all"} | extra


def test_creating_a_pin_with_htmx_returns_the_pins_section(signed_in, cast):
    response = signed_in.post("/curator/pins/new/", _pin_data(cast["titles"]["g"]), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="curator-section" id="pins"')
    assert "Sunny Meadow" in html and "<footer" not in html
    assert (
        Pin.objects.count() == 1 and AuditEntry.objects.first().actor.email == "curator@example.com"
    )


def test_creating_without_javascript_redirects_to_the_studio(signed_in, cast):
    response = signed_in.post("/curator/pins/new/", _pin_data(cast["titles"]["g"]))
    assert response.status_code == 302 and response["Location"] == "/curator/"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"title": "no-such-title"}, "No title has the slug"),
        ({"position": "0"}, "greater than or equal to 1"),
        ({"rail_key": "not a key!"}, "valid"),
        ({"starts_at": "2030-01-02T10:00", "ends_at": "2030-01-01T10:00"}, "end must come after"),
        ({"audience": "martians"}, "valid choice"),
    ],
)
def test_bad_pin_input_is_a_400_with_its_message(signed_in, cast, extra, message):
    data = _pin_data(cast["titles"]["g"]) | extra
    response = signed_in.post("/curator/pins/new/", data, headers=HTMX)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Pin.objects.exists()


def test_a_collection_with_an_unknown_slug_is_refused(signed_in, cast):
    data = {"name": "C", "position": 1, "audience": "all",
            "title_slugs": f"{cast['titles']['g'].slug}\nnope"}  # fmt: skip
    response = signed_in.post("/curator/collections/new/", data)
    assert response.status_code == 400 and b"nope" in response.content
    assert not Collection.objects.exists()


def test_a_collection_keeps_its_order_and_warns_of_titles_kids_will_not_see(signed_in, cast):
    t = cast["titles"]
    data = {"name": "Mixed", "position": 2, "audience": "all",
            "title_slugs": f"{t['r'].slug}\n{t['g'].slug}\n{t['r'].slug}"}  # fmt: skip
    assert signed_in.post("/curator/collections/new/", data).status_code == 302
    collection = Collection.objects.get()
    assert list(collection.items.values_list("title_id", flat=True)) == [t["r"].pk, t["g"].pk]
    studio = signed_in.get("/curator/").content.decode()
    assert "Kids will not see: Night Heist" in studio
    assert not emoji_in(studio)  # the warning is the sprite's icon, not a glyph
    preview = signed_in.get(f"/curator/collections/{collection.pk}/preview/?viewer=kids")
    html = preview.content.decode()
    assert "Sunny Meadow" in html and "Not shown to this profile" in html
    assert not emoji_in(html)
    assert 'id="tile-' + collection.rail_key + f'-{t["r"].pk}"' not in html
    adult = signed_in.get(f"/curator/collections/{collection.pk}/preview/?viewer=adults")
    assert f'id="tile-{collection.rail_key}-{t["r"].pk}"' in adult.content.decode()


def test_editing_and_deleting_a_collection(signed_in, curator_user, cast):
    collection = collection_save(
        actor=curator_user, title_ids=[cast["titles"]["g"].pk],
        fields={"name": "Old", "description": "", "position": 1, "audience": "all"},
    )  # fmt: skip
    url = f"/curator/collections/{collection.pk}/"
    assert cast["titles"]["g"].slug in signed_in.get(url).content.decode()
    data = {"name": "New", "position": 1, "audience": "kids",
            "title_slugs": cast["titles"]["pg13"].slug}  # fmt: skip
    assert signed_in.post(url, data).status_code == 302
    collection.refresh_from_db()
    assert (collection.name, collection.audience) == ("New", "kids")
    response = signed_in.post(f"{url}delete/", headers=HTMX)
    assert response.status_code == 200 and not Collection.objects.exists()


def test_unknown_kinds_and_ids_are_404_and_wrong_methods_405(signed_in):
    assert signed_in.post("/curator/spaceships/new/", {}).status_code == 404
    assert signed_in.get("/curator/pins/999/").status_code == 404
    assert signed_in.get("/curator/pins/new/").status_code == 405
    assert signed_in.post("/curator/").status_code == 405
    assert signed_in.get("/curator/pins/1/delete/").status_code == 405
    assert signed_in.post("/curator/experiments/999/start/").status_code == 404


def test_audit_page_lists_changes_with_who_and_what(signed_in, cast):
    signed_in.post("/curator/pins/new/", _pin_data(cast["titles"]["g"]))
    page = signed_in.get("/curator/audit/?page=zzz").content.decode()
    assert "curator@example.com" in page and "Pin Sunny Meadow in for-you at 1" in page
