from django.core.management.base import BaseCommand

from profiles.gamification.services import badges_award, challenges_evaluate
from profiles.models import Profile


class Command(BaseCommand):
    help = (
        "Award every badge earned so far and recount open challenges (backfill; idempotent). "
        "Synthetic community members are skipped unless --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", type=int, action="append", help="only this profile id")
        parser.add_argument("--all", action="store_true", help="include synthetic members")

    def handle(self, *args, profile=None, all=False, **options):
        profiles = Profile.objects.select_related("preferences").order_by("pk")
        if profile:
            profiles = profiles.filter(pk__in=profile)
        elif not all:
            profiles = profiles.filter(household__is_synthetic=False)
        awarded = evaluated = 0
        for each in profiles.iterator(chunk_size=500):
            awarded += len(badges_award(profile=each))
            challenges_evaluate(profile=each)
            evaluated += 1
        self.stdout.write(f"{evaluated} profiles evaluated, {awarded} badges awarded.")
