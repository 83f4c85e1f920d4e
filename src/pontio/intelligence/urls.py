"""Every URL of the intelligence app (the access matrix lists each name)."""

from django.urls import path

from pontio.intelligence.views import assessment, public, staff

app_name = "intelligence"
urlpatterns = [
    # The public's pages (no sign-in).
    path("report/", public.report, name="report"),
    path("status/", public.status, name="status"),
    path("you-said-we-did/", public.community_index, name="community"),
    path("you-said-we-did/<slug:slug>/", public.community_county, name="community-county"),
    # Signed in.
    path("submit/", staff.submit, name="submit"),
    path("", staff.queue, name="queue"),
    path("reports/<int:pk>/", assessment.assess, name="assess"),
    path("reports/<int:pk>/grade/", assessment.grade, name="grade"),
    path("reports/<int:pk>/sanitise/", assessment.sanitise, name="sanitise"),
    path("reports/<int:pk>/priority/", assessment.prioritise, name="prioritise"),
    path("reports/<int:pk>/action/", assessment.record_action, name="action"),
    path("reports/<int:pk>/link-person/", assessment.link_person, name="link-person"),
    path("reports/<int:pk>/link-report/", assessment.link_report, name="link-report"),
    path("reports/<int:pk>/share/", assessment.share, name="share"),
    path("shared/", staff.shares, name="shares"),
    path("shared/<int:pk>/", staff.share_decide, name="share-decide"),
    path("you-said-we-did-lines/", staff.summaries, name="summaries"),
    path("you-said-we-did-lines/<int:pk>/approve/", staff.summary_approve, name="summary-approve"),
]
