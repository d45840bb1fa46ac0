"""Badges, weekly challenges and the leaderboards of the chosen profile."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from catalog.forms import form_rejected, plain_bad_request
from profiles.decorators import profile_required
from profiles.forms.gamification import BoardForm, ChallengeJoinForm, CommunityForm, FreezeForm
from profiles.gamification.badges import badge_progress
from profiles.gamification.challenges import DAILY_CAP, current_week, offers_for, streak
from profiles.gamification.leaderboard import community_board, household_board
from profiles.gamification.services import (
    challenge_join,
    challenges_evaluate,
    community_board_set,
    streak_freeze,
)
from profiles.models import CommunityBoardMember, StreakFreeze
from profiles.viewing_history import history_for


@require_GET
@cache_control(private=True)
@profile_required
def badges(request):
    rows = badge_progress(request.profile)
    context = {"badges": rows, "earned": sum(1 for r in rows if r.earned_at)}
    return render(request, "profiles/dashboard/badges.html", context)


@require_GET
@cache_control(private=True)
@profile_required
def challenges(request):
    profile, week = request.profile, current_week()
    history = history_for(profile)
    joined = {e.code: e for e in profile.challenges.filter(week=week)}
    context = {
        "week": week,
        "offers": [(offer, joined.get(offer.code)) for offer in offers_for(profile, week, history)],
        "history": profile.challenges.exclude(week=week)[:30],
        "streak": streak(profile),
        "freezes": StreakFreeze.objects.filter(profile=profile).order_by("-week")[:6],
        "daily_cap": DAILY_CAP,
    }
    return render(request, "profiles/dashboard/challenges.html", context)


@require_POST
@profile_required
def challenge_join_view(request):
    form = ChallengeJoinForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    history = history_for(request.profile)
    try:
        challenge_join(profile=request.profile, code=form.cleaned_data["code"], history=history)
    except ValidationError as error:
        return plain_bad_request(error.messages[0])
    challenges_evaluate(profile=request.profile, history=history)
    return redirect("dashboard:challenges")


@require_POST
@profile_required
def freeze(request):
    form = FreezeForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    week = current_week() - timedelta(days=7 if form.cleaned_data["week"] == "last" else 0)
    try:
        streak_freeze(profile=request.profile, week=week)
    except ValidationError as error:
        return plain_bad_request(error.messages[0])
    return redirect("dashboard:challenges")


@require_GET
@cache_control(private=True)
@profile_required
def leaderboard(request):
    form = BoardForm(request.GET)
    if not form.is_valid():
        return form_rejected(form)
    profile, week = request.profile, current_week()
    board = form.cleaned_data["board"] or "household"
    if board == "community" and profile.is_kids:
        board = "household"  # kids profiles see (and appear on) their household's board only
    rows = (community_board if board == "community" else household_board)(profile, week)
    context = {
        "board": board,
        "rows": rows,
        "week": week,
        "on_community": CommunityBoardMember.objects.filter(profile=profile).exists(),
    }
    return render(request, "profiles/dashboard/leaderboard.html", context)


@require_POST
@profile_required
def community(request):
    form = CommunityForm(request.POST)
    if not form.is_valid():
        return form_rejected(form)
    try:
        community_board_set(profile=request.profile, joined=form.cleaned_data["joined"] == "1")
    except ValidationError as error:
        return plain_bad_request(error.messages[0])
    return redirect(f"{reverse('dashboard:leaderboard')}?board=community")
