import re
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from recommender.recompute import (
    NoPublishedModel,
    RecomputeLocked,
    profiles_to_recompute,
    recompute,
    recompute_lock,
)


def shard_argument(value: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)/(\d+)", value)
    if not match or not 0 <= int(match[1]) < int(match[2]):
        raise CommandError(f"--shard must look like i/n with 0 <= i < n, got {value!r}")
    return int(match[1]), int(match[2])


class Command(BaseCommand):
    help = (
        "Refit the recommender on every signal, publish the model, and recompute the rails of "
        "every profile that can sign in (as task batches, all with that model version)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", type=int, help="only this profile id")
        parser.add_argument(
            "--active-since",
            type=int,
            metavar="DAYS",
            help="only profiles active in the last DAYS days",
        )
        parser.add_argument(
            "--shard",
            default="0/1",
            help="i/n: this host's share of the profiles (by id mod n), scored with the "
            "published model (a shard never fits)",
        )
        parser.add_argument(
            "--fit-only",
            action="store_true",
            help="fit and publish the model (and Trending), no profile's rails: run it once "
            "before the --shard runs",
        )

    def handle(self, *args, profile, active_since, shard, fit_only, verbosity, **options):
        shard = shard_argument(shard)
        if active_since is not None and active_since < 1:
            raise CommandError("--active-since must be 1 or more days")
        if fit_only and (profile is not None or active_since is not None or shard != (0, 1)):
            raise CommandError("--fit-only takes no --profile, --active-since or --shard")
        now = timezone.now()
        since = now - timedelta(days=active_since) if active_since else None
        if fit_only:
            profile_ids = []
        else:
            profile_ids = profiles_to_recompute(profile_id=profile, active_since=since, shard=shard)
        if profile is not None and not profile_ids:
            raise CommandError(f"no profile with id {profile} in shard {shard[0]}/{shard[1]}")
        lock = "recompute:fit" if fit_only else f"recompute:{shard[0]}/{shard[1]}"
        try:
            with (
                recompute_lock(lock),
                tqdm(
                    total=len(profile_ids),
                    unit="profile",
                    file=self.stderr._out,
                    disable=verbosity < 1 or fit_only,
                ) as bar,
            ):
                report = recompute(
                    now=now, profile_ids=profile_ids, fit=shard[1] == 1, progress=bar.update
                )
        except RecomputeLocked as error:
            raise CommandError(f"{error}; not starting.") from None
        except NoPublishedModel:
            raise CommandError(
                "no published model yet: run `recompute_recs --fit-only` (or an unsharded run) "
                "first; shards score with the published model so that every host uses the same one"
            ) from None
        if report.failed_batches:
            raise CommandError(f"recompute_recs: {report.summary()}")
        self.stdout.write(self.style.SUCCESS(f"recompute_recs: {report.summary()}"))
