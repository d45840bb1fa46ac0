"""`manage.py simulate_experiment`: synthetic households meet a two-variant experiment and click
according to each variant's true quality; the experiment's own results code then reports it.

What is real: the experiment and its lifecycle (experiment_save, experiment_start), each
household's assignment (the salted hash, written down), the event rows the results page reads,
and the results themselves (curator.results: Wilson intervals, the difference from control,
the SRM check). What is synthetic: the households, and their clicks, drawn with the variant's
true CTR. Everything is rolled back at the end unless --keep. A run is repeatable: the seed
draws the clicks and names the experiment's salt, so on the same database state the same
households land in the same variants.
"""

from datetime import timedelta

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from curator.assignment import assignment_get
from curator.experiments import experiment_save, experiment_start
from curator.models import ExperimentEvent
from curator.results import experiment_results
from profiles.models import Account

BATCH = 5000


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Simulate an A/B experiment with synthetic households and report its results."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=4000)
        parser.add_argument("--views", type=int, default=12, help="home views per household")
        parser.add_argument("--control-ctr", type=float, default=0.05)
        parser.add_argument("--treatment-ctr", type=float, default=0.06)
        parser.add_argument("--days", type=int, default=7)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--keep", action="store_true", help="keep the experiment and events")

    def handle(self, *args, **options):
        for name in ("control_ctr", "treatment_ctr"):
            if not 0 <= options[name] <= 1:
                raise CommandError(f"--{name.replace('_', '-')} must be between 0 and 1.")
        if options["households"] < 2 or options["views"] < 1 or options["days"] < 1:
            raise CommandError("--households must be at least 2, --views and --days at least 1.")
        try:
            with transaction.atomic():
                self._simulate(options)
                if not options["keep"]:
                    raise Rollback
        except Rollback:
            self.stdout.write("(rolled back: nothing was kept; --keep keeps it)")

    def _simulate(self, options):
        rng = np.random.default_rng(options["seed"])
        truth = {"control": options["control_ctr"], "treatment": options["treatment_ctr"]}
        experiment = experiment_save(
            actor=None, name=f"Simulated {timezone.now():%Y-%m-%d %H:%M}", rail_keys=["for-you"],
            variants=[
                {"name": "control", "is_control": True, "weight": 50, "algorithm": "engine"},
                {"name": "treatment", "is_control": False, "weight": 50, "algorithm": "engine",
                 "popularity_weight": 0.3},
            ],
            salt=f"simulation-{options['seed']}",  # a real experiment's is random
        )  # fmt: skip
        experiment_start(actor=None, experiment=experiment)
        households = self._households(options["households"], options["seed"])
        start, span = timezone.now(), options["days"] * 86400
        events = []
        for household_id in households:
            variant = assignment_get(experiment, household_id)
            for _ in range(options["views"]):
                at = start + timedelta(seconds=float(rng.uniform(0, span)))
                events.append(ExperimentEvent(experiment=experiment, variant=variant,
                    household_id=household_id, kind="impression", rail_key="for-you",
                    created_at=at))  # fmt: skip
                if rng.random() < truth[variant.name]:
                    events.append(ExperimentEvent(experiment=experiment, variant=variant,
                        household_id=household_id, kind="click", rail_key="for-you",
                        created_at=at + timedelta(seconds=5)))  # fmt: skip
        ExperimentEvent.objects.bulk_create(events, batch_size=BATCH)
        self._report(experiment_results(experiment), truth, options)

    def _households(self, count: int, seed: int) -> list[int]:
        tag = f"sim{seed}-{timezone.now():%H%M%S%f}"
        Account.objects.bulk_create(
            Account(
                email=f"{tag}-{n}@simulated.invalid",
                password="!",
                is_active=False,
                is_synthetic=True,
            )
            for n in range(count)
        )
        return list(
            Account.objects.filter(email__startswith=f"{tag}-").values_list("pk", flat=True)
        )

    def _report(self, results, truth, options):
        out = self.stdout.write
        out(f"{options['households']} households x {options['views']} home views over "
            f"{options['days']} days, seed {options['seed']}")  # fmt: skip
        out(f"{'variant':<10} {'true CTR':>8} {'households':>10} {'impressions':>11} "
            f"{'clicks':>6} {'CTR':>7} {'95% Wilson':>17} {'diff vs control (95% CI)':>30} "
            f"{'p-value':>9}")  # fmt: skip
        for row in results.variants:
            diff = row.difference
            diff_text = (
                f"{100 * diff.value:+.2f} pp [{100 * diff.low:+.2f}, {100 * diff.high:+.2f}]"
                if diff else "-"
            )  # fmt: skip
            p_text = f"{diff.p_value:.2e}" if diff else "-"
            wilson = f"[{100 * row.low:.2f}%, {100 * row.high:.2f}%]"
            out(f"{row.variant.name:<10} {truth[row.variant.name]:>8.3f} {row.households:>10} "
                f"{row.impressions:>11} {row.clicks:>6} {100 * (row.ctr or 0):>6.2f}% "
                f"{wilson:>17} {diff_text:>30} {p_text:>9}")  # fmt: skip
        srm = "ALARM" if results.srm_alarm else "ok"
        out(f"sample ratio: chi-squared p = {results.srm_p:.3f} ({srm}); minimum sample for a "
            f"10% relative change: {results.sample_needed} impressions per variant")  # fmt: skip
        treatment = next(r for r in results.variants if not r.variant.is_control)
        diff = treatment.difference
        if diff is not None and diff.excludes_zero:
            winner = "treatment" if diff.value > 0 else "control"
            out(f"verdict: {winner} wins; the interval of the difference excludes zero")
        else:
            out("verdict: no winner yet; the interval of the difference includes zero")
