"""A profile's year in review: shown once it finished `MIN_FINISHED` titles in that year."""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from catalog.models import Credit
from profiles.dashboard.charts import Chart, bar_chart
from profiles.models import Profile
from profiles.viewing_history import Finish, TitleFacts, finished_watches, title_facts

MIN_FINISHED = 10
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class YearReview:
    year: int
    finished: int  # distinct titles
    ready: bool
    genres: list[tuple[str, int]]
    people: list[tuple[str, int]]
    months: Chart | None
    first: TitleFacts | None
    last: TitleFacts | None
    most_rewatched: tuple[TitleFacts, int] | None


def year_review(profile: Profile, year: int) -> YearReview:
    start = timezone.make_aware(datetime(year, 1, 1))
    end = timezone.make_aware(datetime(year + 1, 1, 1))
    finishes = [Finish(pk, at) for pk, at in finished_watches(profile, since=start, until=end)]
    distinct = list(dict.fromkeys(f.title_id for f in finishes))
    if len(distinct) < MIN_FINISHED:
        return YearReview(year, len(distinct), False, [], [], None, None, None, None)
    titles, genre_names = title_facts(distinct)
    genres = Counter(g for pk in distinct for g in titles[pk].genres)
    credits = Credit.objects.filter(title_id__in=distinct).filter(
        role__in=[Credit.Role.DIRECTOR, Credit.Role.CREATOR], order__lt=99
    ) | Credit.objects.filter(title_id__in=distinct, role=Credit.Role.CAST, order__lt=3)
    people = Counter(credits.values_list("person__name", flat=True))
    per_month = Counter(timezone.localtime(f.at).month for f in finishes)
    watches = Counter(f.title_id for f in finishes)
    rewatched = max(distinct, key=lambda pk: (watches[pk], -distinct.index(pk)))
    return YearReview(
        year=year,
        finished=len(distinct),
        ready=True,
        genres=[(genre_names.get(g, g), n) for g, n in genres.most_common(5)],
        people=[(name, n) for name, n in people.most_common(5) if n > 1],
        months=bar_chart(
            "months",
            f"Titles finished per month in {year}",
            [(m, per_month[i + 1]) for i, m in enumerate(MONTHS)],
            slot=44,
        ),
        first=titles[distinct[0]],
        last=titles[finishes[-1].title_id],
        most_rewatched=(titles[rewatched], watches[rewatched]) if watches[rewatched] > 1 else None,
    )
