"""The FHIR R4 interface, mounted at /fhir/ (so the base is /fhir/R4).

The views are ``login_not_required``: the sign-in middleware would send a partner's system
to the sign-in page; the DRF permission classes of ``views.FhirView`` check instead (token
or session, the ``fhir`` token scope, the role), and ``metadata`` is public.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from pontio.interop import views

app_name = "interop"


def _view(view: type[views.FhirView]):  # type: ignore[no-untyped-def]
    return login_not_required(view.as_view())


urlpatterns = [
    path("R4/metadata", _view(views.Metadata), name="metadata"),
    path("R4/Task", _view(views.TaskList), name="task-list"),
    path("R4/Task/<str:pk>", _view(views.TaskDetail), name="task-detail"),
    path("R4/ServiceRequest", _view(views.ServiceRequestList), name="servicerequest-list"),
    path(
        "R4/ServiceRequest/<str:pk>",
        _view(views.ServiceRequestDetail),
        name="servicerequest-detail",
    ),
    path("R4/Patient/<str:pk>", _view(views.PatientDetail), name="patient-detail"),
    path("R4/Appointment", _view(views.AppointmentList), name="appointment-list"),
    path("R4/Appointment/<str:pk>", _view(views.AppointmentDetail), name="appointment-detail"),
]
