from django.urls import path

from pontio.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("export.csv", views.event_export, name="event-export"),
    path("events/<int:sequence>/", views.event_detail, name="event-detail"),
    path("verify/", views.verify, name="verify"),
    path("verify/start/", views.verify_start, name="verify-start"),
]
