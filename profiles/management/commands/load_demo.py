from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from catalog.importers.demo import DemoDataError, demo_catalogue_load, demo_entries
from config.db import planner_statistics_refresh
from profiles.demo_community import (
    MEMBER_EMAIL,
    TitleFacts,
    community_simulate,
    demo_community_create,
)
from profiles.demo_household import DEMO_EMAIL, DEMO_PASSWORD, demo_household_ensure
from profiles.models import Account
from profiles.services import title_stats_refresh


class Command(BaseCommand):
    help = "Load the demo catalogue, a simulated community and the demo household (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=500, help="simulated community size")
        parser.add_argument("--seed", type=int, default=7, help="seed of the simulation")

    def handle(self, *args, members: int, seed: int, **options):
        if members < 0:
            raise CommandError("--members must be 0 or more")
        try:
            entries = demo_entries()
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        report, title_ids = demo_catalogue_load(entries)
        self.stdout.write(
            f"Catalogue: {len(entries)} titles ({report.created} new, {report.updated} updated, "
            f"{report.unchanged} unchanged)."
        )
        facts = [
            TitleFacts(tuple(e["genres"]), e["year"], e["runtime"], e["kind"]) for e in entries
        ]
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        if members and not Account.objects.filter(email=MEMBER_EMAIL.format(1)).exists():
            events = community_simulate(facts, members=members, seed=seed)
            written = demo_community_create(
                title_ids=title_ids, events=events, members=members, now=now
            )
            self.stdout.write(f"Community: {members} simulated members, {written:,} events.")
        else:
            self.stdout.write("Community: already loaded.")
        demo_household_ensure(title_ids=title_ids, facts=facts, seed=seed, now=now)
        title_stats_refresh()
        planner_statistics_refresh()
        self.stdout.write(self.style.SUCCESS(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}"))
