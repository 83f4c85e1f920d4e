"""Pages every user sees: home dashboard, language switch, error pages, reference data."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pontio.core import reference
from pontio.core.access import permission_required, scoped_get
from pontio.core.i18n import remember_choice_before_sign_in, set_language_cookie
from pontio.core.models import County
from pontio.core.navigation import panels_for
from pontio.core.recording import AuditAction, AuditContext, record_request
from pontio.core.reference_forms import CountyForm
from pontio.core.scopes import restrict


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"panels": panels_for(request.user)})


@login_not_required
@require_GET
def language(request: HttpRequest, code: str) -> HttpResponse:
    """Switch language and go back to the same page (a link, so it works without JavaScript)."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES):
        set_language_cookie(response, code)
        if not request.user.is_authenticated:
            remember_choice_before_sign_in(response, code)
    return response


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the app answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


# --- error pages (in the user's language, never a stack trace) ---------------------------


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    record_request(request, AuditAction.DENIED, reason=f"forbidden: {request.path}"[:200])
    return render(request, "errors/403.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)


@login_not_required
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A forged or expired form: nothing was saved; the attempt is audited."""
    record_request(request, AuditAction.CSRF_FAILURE, reason=reason[:200])
    return render(request, "errors/csrf.html", status=403)


# --- reference data --------------------------------------------------------------------


@permission_required("core.manage_reference_data")
def county_list(request: HttpRequest) -> HttpResponse:
    counties = restrict(County.objects.all(), request.user, "view")
    crumbs = [(_("Counties"), None)]
    return render(request, "core/county_list.html", {"counties": counties, "crumbs": crumbs})


@permission_required("core.manage_reference_data")
@require_http_methods(["GET", "POST"])
def county_edit(request: HttpRequest, pk: int) -> HttpResponse:
    county = scoped_get(request, County.objects.all(), pk, "change", audit_read=False)
    form = CountyForm(request.POST or None, instance_values=county)
    if request.method == "POST" and form.is_valid():
        try:
            reference.county_update(
                context=AuditContext.from_request(request),
                actor=request.user,
                county_id=county.pk,
                expected_version=form.cleaned_data["version"],
                values=form.values(),
            )
        except ValidationError as error:
            form.add_validation_error(error)
        else:
            messages.success(request, _("%(county)s has been updated.") % {"county": county.label})
            return HttpResponseRedirect(reverse("core:county-list"))
    crumbs = [(_("Counties"), reverse("core:county-list")), (county.label, None)]
    return render(
        request, "core/county_form.html", {"form": form, "county": county, "crumbs": crumbs}
    )
