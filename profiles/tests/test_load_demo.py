from collections import Counter

import pytest
from django.core.management import call_command

from catalog.importers.demo import DemoDataError, demo_entries
from catalog.models import KIDS_CERTIFICATIONS, Title
from profiles.demo_community import TitleFacts, community_simulate
from profiles.demo_household import DEMO_EMAIL, DEMO_PASSWORD
from profiles.models import Account, Feedback, Profile, Rating, WatchEvent


def facts():
    return [
        TitleFacts(tuple(e["genres"]), e["year"], e["runtime"], e["kind"]) for e in demo_entries()
    ]


def test_demo_catalogue_meets_its_brief():
    entries = demo_entries()
    assert len(entries) >= 400
    assert sum(e["kind"] == "series" for e in entries) >= 60
    assert sum(e["certification"] in KIDS_CERTIFICATIONS for e in entries) >= 80
    assert sum(e["language"] != "en" for e in entries) >= 0.1 * len(entries)
    for entry in entries:
        assert 3 <= len(entry["cast"]) <= 6, entry["title"]
        assert entry.get("directors") or entry.get("creators"), entry["title"]
        assert entry["keywords"] and entry["logline"].endswith((".", "!", "?")), entry["title"]


def test_demo_data_errors_name_the_file_and_entry(tmp_path):
    (tmp_path / "broken.json").write_text('[{"title": "X", "kind": "film"}]')
    with pytest.raises(DemoDataError, match=r"broken\.json entry 1 \(X\): missing"):
        demo_entries(tmp_path)
    (tmp_path / "broken.json").write_text("[{")
    with pytest.raises(DemoDataError, match=r"broken\.json:1: not valid JSON"):
        demo_entries(tmp_path)


def test_same_seed_gives_the_same_community_and_another_seed_does_not():
    titles = facts()
    first = community_simulate(titles, members=40, seed=7)
    assert first == community_simulate(titles, members=40, seed=7)
    assert first != community_simulate(titles, members=40, seed=8)


def test_community_has_real_signal():
    events = community_simulate(facts(), members=500, seed=7)
    assert 30_000 <= len(events) <= 50_000
    kinds = Counter(event.signal for event in events)
    assert kinds["rating"] > 10_000 and kinds["complete"] > 5_000 and kinds["feedback"] > 1_000
    assert all(0 <= event.seconds_ago <= 120 * 86400 for event in events)
    recent = sum(event.seconds_ago < 7 * 86400 for event in events)
    assert recent > 0.06 * len(events)  # trending has fresh signal


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_creates_household(client):
    call_command("load_demo", members=30, verbosity=0)
    counts = [m.objects.count() for m in (Title, Account, Profile, Rating, Feedback, WatchEvent)]
    call_command("load_demo", members=30, verbosity=0)
    assert [
        m.objects.count() for m in (Title, Account, Profile, Rating, Feedback, WatchEvent)
    ] == counts
    household = Account.objects.get(email=DEMO_EMAIL)
    assert sorted(household.profiles.values_list("kind", "maturity_ceiling")) == [
        ("adult", 18),
        ("kids", 7),
    ]
    response = client.post("/accounts/login/", {"username": DEMO_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    synthetic = Account.objects.filter(is_synthetic=True)
    assert synthetic.count() == 30 and not synthetic.filter(is_active=True).exists()
    assert Title.objects.order_by("-popularity").first().popularity > 0
