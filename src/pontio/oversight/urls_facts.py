"""The facts pages (see oversight.facts) and the commissioning records behind them."""

from django.urls import path

from pontio.oversight.views import commissioning, facts

urlpatterns: list = [
    path("facts/", facts.facts_page, name="facts"),
    path("awards/", commissioning.award_list, name="award-list"),
    path("awards/new/", commissioning.award_create, name="award-create"),
    path("awards/<int:pk>/", commissioning.award_edit, name="award-edit"),
    path("returns/", commissioning.return_list, name="return-list"),
    path("returns/new/", commissioning.return_create, name="return-create"),
]
