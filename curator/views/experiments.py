"""Experiments: create and edit drafts, replay offline, start, change the split, stop, ship,
and the live results page (htmx polls its `#results` part)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from curator.access import curator_required
from curator.experiments import (
    ExperimentRefused,
    experiment_save,
    experiment_ship,
    experiment_split_set,
    experiment_start,
    experiment_stop,
)
from curator.forms import ExperimentForm, ShipForm, SplitForm, VariantFormSet
from curator.models import Experiment, Variant
from curator.replay import experiment_replay
from curator.results import experiment_results

ACTIONS = {"start", "stop", "ship", "split", "replay"}
NEW_VARIANTS = [
    {"name": "control", "is_control": True, "weight": 50, "algorithm": "engine",
     "popularity_weight": 0, "session_lift": True},
    {"name": "treatment", "is_control": False, "weight": 50, "algorithm": "engine",
     "popularity_weight": 0.3, "session_lift": True},
]  # fmt: skip


def _settings_forms(data=None, experiment: Experiment | None = None):
    if experiment is None:
        return ExperimentForm(data), VariantFormSet(data, initial=NEW_VARIANTS, prefix="v")
    initial = {"name": experiment.name, "rail_keys": experiment.rail_keys}
    variants = [
        {f: getattr(v, f) for f in ("name", "is_control", "weight", "algorithm", "diversity",
                                    "popularity_weight", "session_lift")}
        for v in experiment.variants.order_by("pk")
    ]  # fmt: skip
    return ExperimentForm(data, initial=initial), VariantFormSet(data, initial=variants, prefix="v")


@require_http_methods(["GET", "POST"])
@curator_required
def experiments(request):
    form, variants = _settings_forms(request.POST or None)
    if request.method == "POST" and form.is_valid() and variants.is_valid():
        experiment = experiment_save(
            actor=request.user, name=form.cleaned_data["name"],
            rail_keys=form.cleaned_data["rail_keys"], variants=variants.variants(),
        )  # fmt: skip
        return redirect("curator:experiment", pk=experiment.pk)
    context = {"experiments": Experiment.objects.all(), "form": form, "variants": variants}
    status = 400 if request.method == "POST" else 200
    return render(request, "curator/experiments.html", context, status=status)


def _detail(request, experiment, *, form=None, variants=None, split=None, error="", status=200):
    if form is None:
        form, variants = _settings_forms(None, experiment)
    split = split or SplitForm(variants=experiment.variants.order_by("pk"))
    context = {"experiment": experiment, "form": form, "variants": variants, "split": split,
               "error": error, "variant_rows": experiment.variants.order_by("pk")}  # fmt: skip
    return render(request, "curator/experiment.html", context, status=status)


@require_http_methods(["GET", "POST"])
@curator_required
def experiment(request, pk: int):
    """The experiment's settings (editable while a draft) and its lifecycle buttons."""
    experiment = get_object_or_404(Experiment, pk=pk)
    if request.method == "GET":
        return _detail(request, experiment)
    form, variants = _settings_forms(request.POST, experiment)
    if not (form.is_valid() and variants.is_valid()):
        return _detail(request, experiment, form=form, variants=variants, status=400)
    try:
        experiment_save(
            actor=request.user, experiment=experiment, name=form.cleaned_data["name"],
            rail_keys=form.cleaned_data["rail_keys"], variants=variants.variants(),
        )  # fmt: skip
    except ExperimentRefused as refused:
        return _detail(request, experiment, error=str(refused), status=409)
    return redirect("curator:experiment", pk=pk)


@require_POST
@curator_required
def experiment_action(request, pk: int, action: str):
    experiment = get_object_or_404(Experiment, pk=pk)
    if action not in ACTIONS:
        raise Http404("No such experiment action.")
    try:
        if action == "start":
            experiment_start(actor=request.user, experiment=experiment)
        elif action == "stop":
            experiment_stop(actor=request.user, experiment=experiment)
        elif action == "ship":
            return _ship(request, experiment)
        elif action == "split":
            return _split(request, experiment)
        elif action == "replay":
            experiment_replay.enqueue(experiment_id=experiment.pk, actor_id=request.user.pk)
    except ExperimentRefused as refused:
        return _detail(request, experiment, error=str(refused), status=409)
    return redirect("curator:experiment", pk=pk)


def _ship(request, experiment):
    form = ShipForm(request.POST)
    variant = (
        form.is_valid()
        and Variant.objects.filter(pk=form.cleaned_data["variant"], experiment=experiment).first()
    )
    if not variant:
        return _detail(request, experiment, error="Choose one of this experiment's variants.",
                       status=400)  # fmt: skip
    experiment_ship(actor=request.user, experiment=experiment, variant=variant)
    return redirect("curator:experiment", pk=experiment.pk)


def _split(request, experiment):
    form = SplitForm(request.POST, variants=experiment.variants.order_by("pk"))
    if not form.is_valid():
        return _detail(request, experiment, split=form, status=400)
    experiment_split_set(actor=request.user, experiment=experiment, weights=form.weights())
    return redirect("curator:experiment", pk=experiment.pk)


@require_GET
@curator_required
def results(request, pk: int):
    experiment = get_object_or_404(Experiment, pk=pk)
    context = {"results": experiment_results(experiment), "experiment": experiment}
    template = "curator/results.html#results" if request.htmx else "curator/results.html"
    return render(request, template, context)
