from django.urls import path

from pontio.webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.subscription_list, name="subscription-list"),
    path("new/", views.subscription_new, name="subscription-new"),
    path("<int:pk>/", views.subscription_detail, name="subscription-detail"),
    path("<int:pk>/secret/", views.subscription_secret, name="subscription-secret"),
    path("<int:pk>/rotate-secret/", views.subscription_rotate, name="subscription-rotate"),
    path("<int:pk>/disable/", views.subscription_disable, name="subscription-disable"),
    path("deliveries/", views.delivery_list, name="delivery-list"),
    path("deliveries/<int:pk>/", views.delivery_detail, name="delivery-detail"),
    path("deliveries/<int:pk>/replay/", views.delivery_replay, name="delivery-replay"),
]
