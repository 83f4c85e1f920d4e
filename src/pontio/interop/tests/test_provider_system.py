"""Issue 19 "done when": a provider's case system works a referral end to end over FHIR.

``ProviderSystem`` stands for DDAS's own system: it knows nothing of Pontio but the FHIR
base URL and its partner API token (``fhir`` scope), and makes HTTP calls only. The police
then see the result on their usual referral page and in API v1.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demo_sign_in

from pontio.interop import codes
from pontio.interop.tests.helpers import FHIR, check_resource, new_referral, token_client

BASE = "/fhir/R4"


class ProviderSystem:
    """A FHIR client of a treatment provider's case system (HTTP calls only)."""

    def __init__(self, client: Client) -> None:
        self.client = client

    def _answer(self, response: Any, expected: int = 200) -> dict[str, Any]:
        assert response.status_code == expected, response.content[:2000]
        assert response["Content-Type"].startswith(FHIR)
        return check_resource(json.loads(response.content))

    def get(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        return self._answer(self.client.get(url, params or {}, HTTP_ACCEPT=FHIR))

    def put(self, url: str, resource: dict[str, Any]) -> dict[str, Any]:
        response = self.client.put(
            url,
            json.dumps(resource),
            content_type=FHIR,
            HTTP_ACCEPT=FHIR,
            HTTP_IF_MATCH=f'W/"{resource["meta"]["versionId"]}"',
        )
        return self._answer(response)

    def post(self, url: str, resource: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(url, json.dumps(resource), content_type=FHIR, HTTP_ACCEPT=FHIR)
        return self._answer(response, 201)

    # --- the provider's workflow -----------------------------------------------------

    def capabilities(self) -> dict[str, Any]:
        return self.get(f"{BASE}/metadata")

    def poll_new(self, since: str, count: int) -> tuple[list[dict[str, Any]], int]:
        """Every requested Task changed since ``since``, page by page; and the pages read."""
        bundle = self.get(
            f"{BASE}/Task",
            {"_lastUpdated": f"gt{since}", "status": "requested", "_count": str(count)},
        )
        tasks, pages = [], 1
        while True:
            tasks += [entry["resource"] for entry in bundle.get("entry", [])]
            links = {link["relation"]: link["url"] for link in bundle["link"]}
            if "next" not in links:
                return tasks, pages
            bundle = self.get(links["next"])
            pages += 1

    def reference(self, reference: dict[str, Any]) -> dict[str, Any]:
        return self.get(f"{BASE}/{reference['reference']}")

    def update_task(self, task: dict[str, Any], **changes: Any) -> dict[str, Any]:
        return self.put(f"{BASE}/Task/{task['id']}", {**task, **changes})

    def book(self, task: dict[str, Any], starts_at: dt.datetime, kind: str) -> dict[str, Any]:
        service_request = task["focus"]["reference"]
        return self.post(
            f"{BASE}/Appointment",
            {
                "resourceType": "Appointment",
                "status": "booked",
                "basedOn": [{"reference": service_request}],
                "start": starts_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                "serviceType": [
                    {
                        "coding": [
                            {"system": codes.code_system(codes.APPOINTMENT_KIND), "code": kind}
                        ]
                    }
                ],
                "participant": [
                    {"actor": task["for"], "status": "accepted"},
                    {"actor": {"display": "DDAS Llanelli"}, "status": "accepted"},
                ],
            },
        )

    def record_attendance(self, appointment: dict[str, Any], status: str) -> dict[str, Any]:
        return self.put(
            f"{BASE}/Appointment/{appointment['id']}", {**appointment, "status": status}
        )


def output(kind: str, **value: Any) -> dict[str, Any]:
    return {
        "type": {"coding": [{"system": codes.code_system(codes.TASK_OUTPUT), "code": kind}]},
        **value,
    }


def test_a_provider_system_works_a_referral_and_the_police_see_the_outcome(
    demo_users: Any,
) -> None:
    since = (timezone.now() - dt.timedelta(seconds=1)).astimezone(dt.UTC)
    made = [new_referral(demo_users) for _ in range(3)]
    system = ProviderSystem(token_client(demo_users))

    capabilities = system.capabilities()
    assert capabilities["fhirVersion"] == "4.0.1"

    tasks, pages = system.poll_new(since.isoformat().replace("+00:00", "Z"), count=2)
    assert pages == 2
    assert sorted(t["id"] for t in tasks) == sorted(str(r.pk) for r in made)
    assert len({t["id"] for t in tasks}) == len(tasks)
    task = next(t for t in tasks if t["id"] == str(made[0].pk))

    service_request = system.reference(task["focus"])
    assert service_request["identifier"][0]["value"] == made[0].reference
    assert service_request["reasonCode"][0]["text"] == made[0].reason
    patient = system.reference(task["for"])
    assert patient["name"][0]["family"] == made[0].person.family_name
    assert "identifier" not in patient

    task = system.update_task(task, status="accepted")
    assert task["status"] == "accepted"

    appointment = system.book(task, timezone.now() - dt.timedelta(hours=1), "assessment")
    assert appointment["status"] == "booked"
    appointment = system.record_attendance(appointment, "fulfilled")
    assert appointment["status"] == "fulfilled"

    task = system.get(f"{BASE}/Task/{task['id']}")
    task = system.update_task(task, status="in-progress")
    assert task["status"] == "in-progress"

    today = timezone.localdate().isoformat()
    # A planned completion needs a treatment start (ReferralCode.evidence), which follows
    # the assessment: the system sends both dates as Task outputs.
    task = system.update_task(
        task,
        output=[
            output(codes.OUTPUT_ASSESSMENT, valueDate=today),
            output(codes.OUTPUT_TREATMENT_START, valueDate=today),
        ],
    )
    kinds = {o["type"]["coding"][0]["code"] for o in task["output"]}
    assert kinds == {codes.OUTPUT_ASSESSMENT, codes.OUTPUT_TREATMENT_START}

    summary = "Finished the programme and is now drug free."
    task = system.update_task(
        task,
        status="completed",
        statusReason={
            "coding": [
                {
                    "system": codes.code_system(codes.REFERRAL_CODE),
                    "code": "CLO_PLANNED_COMPLETE",
                }
            ],
            "text": "Completed the twelve-week plan.",
        },
        output=[
            *task["output"],
            output(
                codes.OUTPUT_OUTCOME,
                valueCodeableConcept={
                    "coding": [{"system": codes.code_system(codes.OUTCOME), "code": "achieved"}]
                },
            ),
            output(codes.OUTPUT_SUMMARY, valueString=summary),
        ],
    )
    assert task["status"] == "completed"
    assert task["statusReason"]["coding"][0]["code"] == "CLO_PLANNED_COMPLETE"
    service_request = system.reference(task["focus"])
    assert service_request["status"] == "completed"

    # The officer who referred sees it closed, with the outcome, on the page and in API v1.
    police = demo_sign_in("officer")
    page = police.get(reverse("referrals:detail", args=[made[0].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert summary in text
    assert "Completed" in text
    assert "Completed the twelve-week plan." not in text  # the provider's own note
    api = police.get(f"/api/v1/referrals/{made[0].pk}/")
    assert api.status_code == 200
    data = api.json()
    assert data["status"] == "completed"
    assert data["outcome_against_reason"] == "achieved"
    assert data["outcome_summary"] == summary
    assert data["status_code"]["code"] == "CLO_PLANNED_COMPLETE"


def test_a_planned_completion_without_a_treatment_start_is_refused(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    system = ProviderSystem(token_client(demo_users))
    task = system.update_task(system.get(f"{BASE}/Task/{referral.pk}"), status="accepted")
    appointment = system.book(task, timezone.now() - dt.timedelta(hours=1), "assessment")
    system.record_attendance(appointment, "fulfilled")
    task = system.get(f"{BASE}/Task/{referral.pk}")
    response = system.client.put(
        f"{BASE}/Task/{referral.pk}",
        json.dumps(
            {
                **task,
                "status": "completed",
                "statusReason": {
                    "coding": [
                        {
                            "system": codes.code_system(codes.REFERRAL_CODE),
                            "code": "CLO_PLANNED_COMPLETE",
                        }
                    ]
                },
            }
        ),
        content_type=FHIR,
        HTTP_IF_MATCH=f'W/"{task["meta"]["versionId"]}"',
    )
    assert response.status_code == 422
    outcome = check_resource(json.loads(response.content))
    assert "treatment start" in outcome["issue"][0]["diagnostics"]
    assert system.get(f"{BASE}/Task/{referral.pk}")["status"] == "in-progress"


def test_a_closure_after_work_started_needs_the_outcome_for_the_police(demo_users: Any) -> None:
    referral = new_referral(demo_users)
    system = ProviderSystem(token_client(demo_users))
    task = system.update_task(system.get(f"{BASE}/Task/{referral.pk}"), status="accepted")
    appointment = system.book(task, timezone.now() - dt.timedelta(hours=1), "assessment")
    system.record_attendance(appointment, "fulfilled")
    task = system.get(f"{BASE}/Task/{referral.pk}")
    response = system.client.put(
        f"{BASE}/Task/{referral.pk}",
        json.dumps(
            {
                **task,
                "status": "failed",
                "statusReason": {
                    "coding": [
                        {
                            "system": codes.code_system(codes.REFERRAL_CODE),
                            "code": "CLO_CLIENT_DECLINED",
                        }
                    ]
                },
            }
        ),
        content_type=FHIR,
        HTTP_IF_MATCH=f'W/"{task["meta"]["versionId"]}"',
    )
    assert response.status_code == 422, response.content
    assert system.get(f"{BASE}/Task/{referral.pk}")["status"] == "in-progress"
