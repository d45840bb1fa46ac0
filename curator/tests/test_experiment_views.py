"""The experiment pages: create a draft, change the split, start, ship; bad input is a 400 (or
409 for a refused change), never a 500."""

import pytest

from curator.models import Experiment

pytestmark = pytest.mark.django_db


def _form(**extra):
    data = {"name": "Pop", "rail_keys": ["for-you", "genre"], "v-TOTAL_FORMS": 2,
            "v-INITIAL_FORMS": 0, "v-0-name": "control", "v-0-is_control": "on",
            "v-0-weight": 50, "v-0-algorithm": "engine", "v-0-popularity_weight": 0,
            "v-0-session_lift": "on", "v-1-name": "popular", "v-1-weight": 50,
            "v-1-algorithm": "engine", "v-1-popularity_weight": 0.4,
            "v-1-diversity": 0.2}  # fmt: skip
    return data | extra


@pytest.fixture
def signed_in(client, curator_user):
    client.force_login(curator_user)
    return client


def test_a_draft_is_created_then_started_from_its_page(signed_in):
    response = signed_in.post("/curator/experiments/", _form())
    experiment = Experiment.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/curator/experiments/{experiment.pk}/"
    )
    popular = experiment.variants.get(name="popular")
    assert (popular.popularity_weight, popular.diversity, popular.session_lift) == (0.4, 0.2, False)
    assert experiment.rail_keys == ["for-you", "genre"]
    assert signed_in.post(f"/curator/experiments/{experiment.pk}/start/").status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == "running"
    page = signed_in.get(f"/curator/experiments/{experiment.pk}/").content.decode()
    assert "Locked" in page and "Save settings" not in page


@pytest.mark.parametrize(
    "extra",
    [
        {"v-1-popularity_weight": "nan"},
        {"v-1-diversity": "5"},
        {"v-0-weight": "-1"},
        {"v-1-algorithm": "magic"},
        {"v-1-is_control": "on"},
        {"v-1-name": "control"},
        {"v-TOTAL_FORMS": "1"},
        {"v-TOTAL_FORMS": "x"},
        {"rail_keys": ["nowhere"]},
        {"name": ""},
    ],
)
def test_bad_settings_are_a_400(signed_in, extra):
    response = signed_in.post("/curator/experiments/", _form(**extra))
    assert response.status_code == 400
    assert not Experiment.objects.exists()


def test_split_ship_and_bad_actions(signed_in):
    signed_in.post("/curator/experiments/", _form())
    experiment = Experiment.objects.get()
    control, popular = experiment.variants.order_by("pk")
    base = f"/curator/experiments/{experiment.pk}"
    assert signed_in.post(f"{base}/split/", {f"weight_{control.pk}": "x"}).status_code == 400
    zero = {f"weight_{control.pk}": 0, f"weight_{popular.pk}": 0}
    assert signed_in.post(f"{base}/split/", zero).status_code == 400
    ok = {f"weight_{control.pk}": 30, f"weight_{popular.pk}": 70}
    assert signed_in.post(f"{base}/split/", ok).status_code == 302
    assert list(experiment.variants.order_by("pk").values_list("weight", flat=True)) == [30, 70]
    assert signed_in.post(f"{base}/ship/", {"variant": popular.pk}).status_code == 409  # a draft
    signed_in.post(f"{base}/start/")
    assert signed_in.post(f"{base}/ship/", {"variant": "abc"}).status_code == 400
    assert signed_in.post(f"{base}/ship/", {"variant": popular.pk}).status_code == 302
    experiment.refresh_from_db()
    assert experiment.status == "shipped" and experiment.winner == popular
    assert signed_in.post(f"{base}/start/").status_code == 409
    assert signed_in.post(f"{base}/explode/").status_code == 404
