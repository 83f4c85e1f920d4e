"""Administrators add a disposal type, end one and change the scheme without code; the
changes are audited and version-checked, bad rules refused, and no one else gets in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.disposals.models import DisposalType, DiversionScheme


def _date(name: str, value: dt.date | None) -> dict[str, str]:
    parts = [str(value.day), str(value.month), str(value.year)] if value else ["", "", ""]
    return {f"{name}_{i}": part for i, part in enumerate(parts)}


def type_post(obj: DisposalType | None = None, **changes: Any) -> dict[str, Any]:
    """The type form's answers: those of ``obj`` (or a new type), with ``changes``."""
    values: dict[str, Any] = {
        "code": "restorative_justice",
        "label_en": "Restorative justice disposal",
        "label_cy": "Gwarediad cyfiawnder adferol",
        "tier": "lower",
        "commenced": "on",
        "admission_required": "on",
        "minimum_age": "18",
        "authoriser_roles": ["custody_sergeant"],
        "allowed_categories": ["apology", "repair"],
        "default_compliance_weeks": "8",
        "maximum_compliance_weeks": "12",
        "breach_route": "not_enforceable",
        "version": "",
    }
    if obj is not None:
        values.update(
            label_en=obj.label_en,
            label_cy=obj.label_cy,
            tier=obj.tier,
            minimum_age=str(obj.minimum_age),
            authoriser_roles=list(obj.authoriser_roles),
            allowed_categories=list(obj.allowed_categories),
            default_compliance_weeks=str(obj.default_compliance_weeks),
            maximum_compliance_weeks=str(obj.maximum_compliance_weeks),
            breach_route=obj.breach_route,
            excluded_offences=[o.pk for o in obj.excluded_offences.all()],
            version=str(obj.version),
        )
        for flag in ("commenced", "admission_required", "excludes_indictable_only"):
            values[flag] = "on" if getattr(obj, flag) else ""
        del values["code"]
    dates: dict[str, dt.date | None] = {"valid_from": None, "valid_to": None}
    dates.update({k: changes.pop(k) for k in list(changes) if k in dates})
    values.update(changes)
    for name, value in dates.items():
        values.update(_date(name, value))
    return {k: v for k, v in values.items() if v not in ("", None) or k == "version"}


@pytest.mark.django_db
def test_the_reference_page_lists_the_types_and_links_to_the_scheme(world):
    response = demo_sign_in("admin").get(reverse("disposals:reference"))
    assert response.status_code == 200
    page = response.content.decode()
    cr = DisposalType.objects.get(code="community_resolution")
    assert reverse("disposals:reference-type-edit", args=[cr.pk]) in page
    scheme = DiversionScheme.objects.first()
    assert reverse("disposals:reference-scheme-edit", args=[scheme.pk]) in page


@pytest.mark.django_db
def test_the_administrator_adds_a_disposal_type_and_it_is_audited(world):
    response = demo_sign_in("admin").post(reverse("disposals:reference-type-new"), type_post())
    assert response.status_code == 302, response.content.decode()[:3000]
    added = DisposalType.objects.get(code="restorative_justice")
    assert added.maximum_compliance_weeks == 12
    assert added.authoriser_roles == ["custody_sergeant"]
    assert AuditEvent.objects.filter(action="create", object_id=str(added.pk)).exists()


@pytest.mark.django_db
def test_a_maximum_period_below_the_default_is_refused_and_nothing_saved(world):
    response = demo_sign_in("admin").post(
        reverse("disposals:reference-type-new"),
        type_post(default_compliance_weeks="16", maximum_compliance_weeks="10"),
    )
    assert response.status_code == 200
    assert "must not be shorter than the default" in response.content.decode()
    assert not DisposalType.objects.filter(code="restorative_justice").exists()


@pytest.mark.django_db
def test_the_administrator_ends_a_type_with_an_end_date(world):
    cr = DisposalType.objects.get(code="community_resolution")
    version = cr.version
    end = timezone.localdate() + dt.timedelta(days=1)
    response = demo_sign_in("admin").post(
        reverse("disposals:reference-type-edit", args=[cr.pk]), type_post(cr, valid_to=end)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    cr.refresh_from_db()
    assert cr.valid_to == end
    assert cr.version == version + 1
    assert AuditEvent.objects.filter(action="update", object_id=str(cr.pk)).exists()


@pytest.mark.django_db
def test_a_stale_copy_of_a_type_is_refused(world):
    cr = DisposalType.objects.get(code="community_resolution")
    answers = type_post(cr, version=str(cr.version + 1))
    response = demo_sign_in("admin").post(
        reverse("disposals:reference-type-edit", args=[cr.pk]), answers
    )
    assert response.status_code == 200
    assert "Someone else changed this record" in response.content.decode()


@pytest.mark.django_db
def test_the_administrator_renames_the_scheme_and_a_gravity_off_the_scale_is_refused(world):
    scheme = DiversionScheme.objects.first()
    answers = {
        "label_en": "Dyfed-Powys Diversion Scheme",
        "label_cy": "Cynllun Dargyfeirio Dyfed-Powys",
        "minimum_age": str(scheme.minimum_age),
        "offence_max_age_days": str(scheme.offence_max_age_days),
        "maximum_gravity": str(scheme.maximum_gravity),
        "excluded_groups": list(scheme.excluded_groups),
        "contract_months": str(scheme.contract_months),
        "maximum_conditions": str(scheme.maximum_conditions),
        "review_interval_days": str(scheme.review_interval_days),
        "version": str(scheme.version),
    }
    client = demo_sign_in("admin")
    url = reverse("disposals:reference-scheme-edit", args=[scheme.pk])
    refused = client.post(url, {**answers, "maximum_gravity": "5"})
    assert refused.status_code == 200
    assert "from 1 to 4" in refused.content.decode()
    response = client.post(url, answers)
    assert response.status_code == 302, response.content.decode()[:3000]
    scheme.refresh_from_db()
    assert scheme.label_en == "Dyfed-Powys Diversion Scheme"


@pytest.mark.parametrize("username", ["inspector", "custody.sergeant", "navigator"])
@pytest.mark.django_db
def test_anyone_but_an_administrator_is_refused_the_reference_pages(world, username):
    cr = DisposalType.objects.get(code="community_resolution")
    client = demo_sign_in(username)
    assert client.get(reverse("disposals:reference")).status_code == 403
    assert client.post(reverse("disposals:reference-type-new"), type_post()).status_code == 403
    assert client.get(reverse("disposals:reference-type-edit", args=[cr.pk])).status_code == 403
    assert not DisposalType.objects.filter(code="restorative_justice").exists()


@pytest.mark.django_db
def test_the_type_form_shows_its_rules_and_the_end_date_and_hides_the_code(world):
    cr = DisposalType.objects.get(code="community_resolution")
    client = demo_sign_in("admin")
    page = client.get(reverse("disposals:reference-type-edit", args=[cr.pk])).content.decode()
    assert "Maximum compliance period (weeks)" in page
    assert "In use until" in page
    assert 'name="code"' not in page
    new = client.get(reverse("disposals:reference-type-new")).content.decode()
    assert 'name="code"' in new
