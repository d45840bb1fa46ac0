"""Leaderboards: ranked by distinct titles finished and challenges completed in the week (not
hours); household by default; community opt-in, adults of real households only."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.tests.factories import TitleFactory
from profiles.gamification.challenges import current_week
from profiles.gamification.leaderboard import community_board, household_board
from profiles.gamification.services import community_board_set
from profiles.models import ChallengeEntry
from profiles.tests.factories import KidsProfileFactory, ProfileFactory
from profiles.tests.gamification_cast import finish
from profiles.tests.sessions import login_as

pytestmark = pytest.mark.django_db


def this_week():
    """A moment inside the current week (now always is)."""
    return timezone.now()


@pytest.fixture
def titles():
    return [TitleFactory(title=f"Film {n}", runtime=90 + 60 * n) for n in range(5)]


def test_ranked_by_distinct_titles_not_hours_or_repeats(titles):
    binger = ProfileFactory(name="Binger")
    explorer = ProfileFactory(household=binger.household, name="Explorer")
    for _ in range(5):
        finish(binger, titles[4])  # the longest film, five times
    for title in titles[:2]:
        finish(explorer, title)
    board = household_board(binger, current_week())
    assert [(r.name, r.titles) for r in board] == [("Explorer", 2), ("Binger", 1)]
    assert board[1].is_viewer


def test_completed_challenges_add_to_the_score(titles):
    alex = ProfileFactory(name="Alex")
    sam = ProfileFactory(household=alex.household, name="Sam")
    finish(alex, titles[0])
    finish(sam, titles[0])
    ChallengeEntry.objects.create(
        profile=sam, week=current_week(), code="series", label="x", target=1, progress=1,
        joined_at=this_week(), completed_at=this_week(),
    )  # fmt: skip
    board = household_board(alex, current_week())
    assert [(r.name, r.points, r.rank) for r in board] == [("Sam", 2, 1), ("Alex", 1, 2)]


def test_ties_share_a_rank(titles):
    alex = ProfileFactory(name="Alex")
    ProfileFactory(household=alex.household, name="Sam")
    assert [r.rank for r in household_board(alex, current_week())] == [1, 1]


def test_unfinished_and_last_weeks_watches_do_not_count(titles):
    alex = ProfileFactory(name="Alex")
    finish(alex, titles[0], share=0.5)
    finish(alex, titles[1], at=timezone.now() - timedelta(days=8))
    assert household_board(alex, current_week())[0].titles == 0


def test_the_household_board_holds_its_kids_and_no_one_else(titles):
    alex = ProfileFactory(name="Alex")
    kid = KidsProfileFactory(household=alex.household, name="Robin")
    ProfileFactory(name="Neighbour")
    assert {r.name for r in household_board(alex, current_week())} == {"Alex", "Robin"}
    assert {r.name for r in household_board(kid, current_week())} == {"Alex", "Robin"}


def test_the_community_board_is_opt_in_and_never_shows_kids_or_synthetic_members(titles):
    viewer = ProfileFactory(name="Viewer")
    joined = ProfileFactory(name="Joined")
    ProfileFactory(name="Shy")  # never opted in
    kid = KidsProfileFactory(name="Kiddo")
    member = ProfileFactory(name="Member 1", household__is_synthetic=True)
    community_board_set(profile=joined, joined=True)
    # Written behind the service's back: the board itself still leaves them out.
    from profiles.models import CommunityBoardMember

    for profile in (kid, member):
        CommunityBoardMember.objects.create(profile=profile, joined_at=timezone.now())
        finish(profile, titles[0])
    assert [r.name for r in community_board(viewer, current_week())] == ["Joined"]


def test_a_kids_profile_cannot_join_the_community_board():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        community_board_set(profile=KidsProfileFactory(), joined=True)


def test_the_page_shows_the_household_board_by_default(client, titles):
    alex = ProfileFactory(name="Alex")
    ProfileFactory(name="Neighbour")
    login_as(client, alex)
    content = client.get("/me/leaderboard/").content.decode()
    assert "Alex" in content and "Neighbour" not in content


def test_joining_and_leaving_the_community_board_from_the_page(client):
    alex = ProfileFactory(name="Alex")
    login_as(client, alex)
    assert client.post("/me/leaderboard/community/", {"joined": "1"}).status_code == 302
    assert "(you)" in client.get("/me/leaderboard/?board=community").content.decode()
    client.post("/me/leaderboard/community/", {"joined": "0"})
    assert "(you)" not in client.get("/me/leaderboard/?board=community").content.decode()


def test_a_kids_profile_only_ever_sees_its_household_board(client):
    kid = KidsProfileFactory(name="Robin")
    stranger = ProfileFactory(name="Stranger")
    community_board_set(profile=stranger, joined=True)
    login_as(client, kid)
    content = client.get("/me/leaderboard/?board=community").content.decode()
    assert "Stranger" not in content and "Robin" in content
    response = client.post("/me/leaderboard/community/", {"joined": "1"})
    assert response.status_code == 400 and "own household" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/me/leaderboard/", {"board": "everyone"}),
        ("post", "/me/leaderboard/community/", {"joined": "maybe"}),
        ("post", "/me/leaderboard/community/", {}),
    ],
)
def test_bad_input_is_a_400(client, method, url, data):
    login_as(client, ProfileFactory())
    assert getattr(client, method)(url, data).status_code == 400
