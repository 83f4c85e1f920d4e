"""Device examination pages (every name is listed in the access matrix). Requests by id:
no personal data in a URL."""

from django.urls import path

from pontio.examinations import views

app_name = "examinations"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_new, name="new"),
    path("capacity/", views.capacity, name="capacity"),
    path("examiners/", views.examiner_list, name="examiners"),
    path("examiners/<int:user_id>/", views.examiner_edit, name="examiner-edit"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/take/", views.request_take, name="take"),
    path("<int:pk>/assign/", views.request_assign, name="assign"),
    path("<int:pk>/result/", views.request_result, name="result"),
    path("<int:pk>/withdraw/", views.request_withdraw, name="withdraw"),
]
