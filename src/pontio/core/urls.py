from django.urls import path

from pontio.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("language/<str:code>/", views.language, name="language"),
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("reference/counties/", views.county_list, name="county-list"),
    path("reference/counties/<int:pk>/edit/", views.county_edit, name="county-edit"),
]
