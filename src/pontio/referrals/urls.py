"""Referral pages. Each views module lists its own patterns; the detail page is shared."""

from django.urls import path

from pontio.referrals import (
    views_detail,
    views_lists,
    views_metrics,
    views_police,
    views_provider,
)

app_name = "referrals"

urlpatterns = [
    path("<int:pk>/", views_detail.referral_detail, name="detail"),
    *views_police.urlpatterns,
    *views_provider.urlpatterns,
    *views_lists.urlpatterns,
    *views_metrics.urlpatterns,
]
