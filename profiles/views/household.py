from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from profiles.access import profile_choose, profile_for_request


@require_GET
@login_required
def picker(request):
    profiles = request.user.profiles.all()
    return render(request, "profiles/picker.html", {"profiles": profiles})


@require_POST
@login_required
def choose(request, profile_id: int):
    profile = profile_for_request(request, profile_id)
    profile_choose(request, profile)
    return redirect("catalog:home")
