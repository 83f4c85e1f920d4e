"""Oversight pages: the tracker and its boards, the Panel reports, the facts, the dashboards,
commissioning and the providers' returns."""

from django.urls import path

from pontio.oversight import urls_dashboards, urls_facts, urls_manage
from pontio.oversight.views import boards, reports, tracker

app_name = "oversight"

urlpatterns = [
    path("", tracker.review_list, name="reviews"),
    path("reviews/<int:pk>/", tracker.review_detail, name="review"),
    path("reviews/<int:pk>/sections/", tracker.review_sections, name="review-sections"),
    path("reviews/<int:pk>/report/", reports.report_new, name="report-new"),
    path("reviews/<int:pk>/report/produce/", reports.report_create, name="report-create"),
    path("recommendations/<int:pk>/", tracker.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/positions/", tracker.position_add, name="position-add"),
    path("boards/", boards.board_list, name="boards"),
    path("boards/<int:pk>/", boards.board_detail, name="board"),
    path("boards/<int:pk>/pack.pdf", boards.board_pack, name="board-pack"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/report.pdf", reports.report_pdf, name="report-pdf"),
    path("reports/<int:pk>/report.html", reports.report_html, name="report-html"),
    *urls_manage.urlpatterns,
    *urls_facts.urlpatterns,
    *urls_dashboards.urlpatterns,
]
