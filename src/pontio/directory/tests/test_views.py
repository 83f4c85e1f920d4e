"""Directory pages end to end: search as an officer, manage as a provider manager, denials."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.conftest import demo_sign_in

from pontio.audit.models import AuditEvent
from pontio.core.recording import AuditAction
from pontio.directory.models import Phone, Service
from pontio.directory.tests.test_services import PHONE_MESSAGE


def _text(response: Any) -> str:
    return response.content.decode()


def _denials() -> int:
    return AuditEvent.objects.filter(action=AuditAction.DENIED).count()


def _form_post(service: Service, **changes: Any) -> dict[str, Any]:
    sal = service.service_at_locations.select_related("location__county").first()
    data: dict[str, Any] = {
        "name": service.name,
        "name_cy": service.name_cy,
        "description": service.description,
        "description_cy": service.description_cy,
        "how_to_refer": service.how_to_refer,
        "genders": service.genders,
        "counties": [c.pk for c in service.counties.all()],
        "substances": [s.code for s in service.substances.all()],
        "phone": "01632 960101",
        "accepts_pontio_referrals": "on",
        "minimum_age": "18",
        "opens_1": "09:00",
        "closes_1": "17:00",
        "version": service.version,
    }
    if sal:
        data.update(
            location_name=sal.location.name,
            address_1=sal.location.address_1,
            city=sal.location.city,
            postcode=sal.location.postcode,
            location_county=sal.location.county_id,
        )
    data.update(changes)
    return data


def test_officer_searches_by_town(directory: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    response = client.get("/directory/", {"place": "Llanelli", "age": "30"})
    assert response.status_code == 200
    text = _text(response)
    assert "DDAS Llanelli" in text and "DDAS Carmarthen" in text
    assert "Kaleidoscope Newtown" not in text and "DDAS Aberystwyth" not in text
    assert "01632 960101" in text  # national format
    assert "Send a referral through Pontio" in text
    assert "Monday: 09:00\u201317:00" in text


def test_search_without_criteria_shows_the_form_only(directory: dict[str, Any]) -> None:
    response = demo_sign_in("officer").get("/directory/")
    assert response.status_code == 200
    assert "services found" not in _text(response)


def test_an_unknown_place_is_an_error_not_an_empty_list(directory: dict[str, Any]) -> None:
    response = demo_sign_in("officer").get("/directory/", {"place": "Atlantis"})
    text = _text(response)
    assert "There is a problem" in text
    assert "We could not find that town or postcode in Dyfed-Powys" in text
    assert "services found" not in text


def test_search_in_welsh_shows_welsh_names(directory: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    client.get("/language/cy/")
    response = client.get("/directory/", {"place": "Y Drenewydd"})
    assert response.status_code == 200
    text = _text(response)
    assert 'lang="cy"' in text
    assert "Kaleidoscope Y Drenewydd" in text
    assert "Anfonwch atgyfeiriad drwy Pontio" in text


def test_service_detail(directory: dict[str, Any]) -> None:
    service = Service.objects.get(name="DDAS Aberystwyth")
    text = _text(demo_sign_in("officer").get(f"/directory/services/{service.pk}/"))
    assert "DDAS Aberystwyth" in text and "9 Queen&#x27;s Road" in text
    assert "Yes, a referral can be sent through Pontio" in text
    assert "Change this service" not in text  # officers do not maintain the directory


def test_provider_manager_lists_only_their_own_services(directory: dict[str, Any]) -> None:
    text = _text(demo_sign_in("provider.manager").get("/directory/manage/"))
    assert "DDAS Llanelli" in text and "DDAS young people" in text
    assert "Kaleidoscope" not in text and "Drug diversion scheme" not in text


def test_provider_manager_edits_their_service(directory: dict[str, Any]) -> None:
    service = Service.objects.get(name="DDAS Llanelli")
    client = demo_sign_in("provider.manager")
    assert client.get(f"/directory/manage/{service.pk}/edit/").status_code == 200
    response = client.post(
        f"/directory/manage/{service.pk}/edit/",
        _form_post(service, how_to_refer="Walk in any weekday morning.", phone="07700 900555"),
    )
    assert response.status_code == 302, _text(response)
    service.refresh_from_db()
    assert service.how_to_refer == "Walk in any weekday morning." and service.version == 2
    assert Phone.objects.get(service=service).number == "+447700900555"
    assert [str(s) for s in service.schedules.all()] == ["Monday 09:00-17:00"]
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="directory.service", object_id=str(service.pk)
    ).exists()


def test_an_invalid_phone_is_shown_and_nothing_saved(directory: dict[str, Any]) -> None:
    service = Service.objects.get(name="DDAS Llanelli")
    response = demo_sign_in("provider.manager").post(
        f"/directory/manage/{service.pk}/edit/", _form_post(service, phone="01234 5", name="X")
    )
    assert response.status_code == 200
    assert PHONE_MESSAGE in _text(response)
    service.refresh_from_db()
    assert service.name == "DDAS Llanelli" and service.version == 1


def test_a_stale_form_is_refused(directory: dict[str, Any]) -> None:
    service = Service.objects.get(name="DDAS Llanelli")
    client = demo_sign_in("provider.manager")
    stale = _form_post(service, name="Stale edit")
    assert (
        client.post(
            f"/directory/manage/{service.pk}/edit/", _form_post(service, name="Fresh edit")
        ).status_code
        == 302
    )
    response = client.post(f"/directory/manage/{service.pk}/edit/", stale)
    assert "Someone else changed this record" in _text(response)
    service.refresh_from_db()
    assert service.name == "Fresh edit"


def test_another_provider_cannot_open_or_post_the_edit_page(directory: dict[str, Any]) -> None:
    theirs = Service.objects.get(name="Kaleidoscope Brecon")
    client = demo_sign_in("provider.manager")
    before = _denials()
    assert client.get(f"/directory/manage/{theirs.pk}/edit/").status_code == 404
    response = client.post(
        f"/directory/manage/{theirs.pk}/edit/", _form_post(theirs, name="Taken over")
    )
    assert response.status_code == 404
    assert (
        client.post(
            f"/directory/manage/{theirs.pk}/status/", {"status": "inactive", "version": 1}
        ).status_code
        == 404
    )
    assert _denials() == before + 3
    theirs.refresh_from_db()
    assert theirs.name == "Kaleidoscope Brecon" and theirs.status == "active"


def test_caseworker_may_search_but_not_manage(directory: dict[str, Any]) -> None:
    client = demo_sign_in("caseworker")
    assert client.get("/directory/", {"place": "SA15 1AA"}).status_code == 200
    before = _denials()
    assert client.get("/directory/manage/").status_code == 403
    assert client.get("/directory/manage/new/").status_code == 403
    assert _denials() == before + 2


def test_create_and_deactivate_a_service(directory: dict[str, Any]) -> None:
    client = demo_sign_in("provider.manager")
    page = client.get("/directory/manage/new/")
    assert page.status_code == 200
    assert "Kaleidoscope" not in _text(page)  # only their own organisations to choose from
    from pontio.directory.models import DirectoryOrganisation

    ddas = DirectoryOrganisation.objects.get(name="Dyfed Drug and Alcohol Service")
    template = Service.objects.get(name="DDAS Llanelli")
    data = _form_post(template, name="DDAS Pembroke Dock outreach", organisation=ddas.pk)
    data.pop("version")
    for key in ("location_name", "address_1", "city", "postcode", "location_county"):
        data.pop(key)
    response = client.post("/directory/manage/new/", data)
    assert response.status_code == 302, _text(response)
    created = Service.objects.get(name="DDAS Pembroke Dock outreach")
    assert created.organisation == ddas and not created.service_at_locations.exists()
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(created.pk)).exists()

    response = client.post(
        f"/directory/manage/{created.pk}/status/", {"status": "inactive", "version": 1}
    )
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == Service.Status.INACTIVE and created.version == 2
    # Deactivated services leave the officers' search.
    text = _text(demo_sign_in("officer").get("/directory/", {"place": "Pembroke Dock"}))
    assert "DDAS Pembroke Dock outreach" not in text


def test_creating_for_another_providers_organisation_is_refused(
    directory: dict[str, Any],
) -> None:
    from pontio.directory.models import DirectoryOrganisation

    kaleidoscope = DirectoryOrganisation.objects.get(name="Kaleidoscope Powys")
    template = Service.objects.get(name="DDAS Llanelli")
    data = _form_post(template, name="Sneaky", organisation=kaleidoscope.pk)
    data.pop("version")
    response = demo_sign_in("provider.manager").post("/directory/manage/new/", data)
    assert response.status_code == 200  # not one of the choices offered
    assert "You can only add services for your own organisation" in _text(response)
    assert not Service.objects.filter(name="Sneaky").exists()


def test_anonymous_is_sent_to_sign_in(directory: dict[str, Any]) -> None:
    response = Client().get("/directory/")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_navigation_shows_the_directory(directory: dict[str, Any]) -> None:
    text = _text(demo_sign_in("officer").get("/"))
    assert "Service directory" in text and 'href="/directory/"' in text


def test_opening_hours_the_service_refuses_are_shown_on_the_days_boxes(
    directory: dict[str, Any],
) -> None:
    service = Service.objects.get(name="DDAS Llanelli")
    response = demo_sign_in("provider.manager").post(
        f"/directory/manage/{service.pk}/edit/",
        _form_post(service, opens_1="17:00", closes_1="09:00", opens_2="09:00"),
    )
    assert response.status_code == 200
    page = _text(response)
    assert "The closing time on Monday must be after the opening time" in page
    assert "Enter both the opening and closing times for Tuesday" in page
    assert 'href="#id_closes_1"' in page and 'href="#id_closes_2"' in page
    service.refresh_from_db()
    assert service.version == 1


@pytest.mark.parametrize("age", ["500", "99999999999"])
def test_an_implausible_age_on_the_form_is_refused_by_the_service(
    directory: dict[str, Any], age: str
) -> None:
    service = Service.objects.get(name="DDAS Llanelli")
    response = demo_sign_in("provider.manager").post(
        f"/directory/manage/{service.pk}/edit/", _form_post(service, minimum_age=age)
    )
    assert response.status_code == 200
    assert "The minimum age must be a whole number from 0 to 120" in _text(response)
    service.refresh_from_db()
    assert service.minimum_age == 18


def test_the_county_choices_carry_ons_codes(directory: dict[str, Any]) -> None:
    client = demo_sign_in("officer")
    assert 'value="W06000023"' in _text(client.get("/directory/"))
    text = _text(client.get("/directory/", {"county": "W06000023"}))
    assert "Kaleidoscope Newtown" in text and "DDAS Llanelli" not in text


def test_the_search_reads_the_same_number_of_queries_for_one_or_every_service(
    directory: dict[str, Any],
) -> None:
    client = demo_sign_in("officer")
    counts = []
    for params in ({"age": "15"}, {"age": "30"}):  # one service, then nearly all
        client.get("/directory/", params)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/directory/", params).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
