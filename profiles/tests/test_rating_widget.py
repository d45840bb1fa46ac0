from django.template import Context, Template

from profiles.templatetags.rating import rating_stars


def test_ten_half_stars_filled_up_to_the_rating():
    halves = rating_stars("3.5", "rate", 7)["halves"]
    assert [h["value"] for h in halves] == [f"{n / 2:.1f}" for n in range(1, 11)]
    assert [h["filled"] for h in halves] == [True] * 7 + [False] * 3
    assert [h["pressed"] for h in halves].index(True) == 6
    assert halves[0]["spoken"] == "0.5 stars" and halves[1]["spoken"] == "1 star"


def test_no_rating_fills_nothing_and_ids_carry_the_prefix():
    html = Template("{% load rating %}{% rating_stars None 'stars' 42 %}").render(Context())
    assert html.count('type="submit"') == 10 and "is-filled" not in html
    assert 'id="stars-42-4.5"' in html and 'aria-pressed="true"' not in html
