from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from curator.access import curator_required
from curator.models import AuditEntry

PER_PAGE = 50


@require_GET
@curator_required
def audit_log(request):
    """Every curator change, newest first: who, when, what, before and after."""
    entries = AuditEntry.objects.select_related("actor")
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "curator/audit.html", {"page": page})
