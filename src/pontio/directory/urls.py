from django.urls import path

from pontio.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("services/<int:pk>/", views.service_detail, name="service-detail"),
    path("export.json", views.export, name="export"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.service_create, name="service-create"),
    path("manage/<int:pk>/edit/", views.service_edit, name="service-edit"),
    path("manage/<int:pk>/status/", views.service_status, name="service-status"),
]
