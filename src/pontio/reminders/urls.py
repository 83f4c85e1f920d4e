from django.urls import path

from pontio.reminders import views

app_name = "reminders"

urlpatterns = [
    path("outbox/", views.outbox, name="outbox"),
    path("notify/callback/", views.notify_callback, name="notify-callback"),
]
