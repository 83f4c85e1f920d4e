from django.urls import path

from pontio.accounts import tokens_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="code"),
    path("sign-in/set-up-code/", views.set_up_code, name="set-up-code"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("forgot-password/", views.forgot_password, name="forgot-password"),
    path("set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("account/", views.account, name="account"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/<slug:action>/", views.user_action, name="user-action"),
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/new/", views.organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("tokens/", tokens_views.token_list, name="token-list"),
    path("tokens/new/", tokens_views.token_new, name="token-new"),
    path("tokens/<int:pk>/issued/", tokens_views.token_issued, name="token-issued"),
    path("tokens/<int:pk>/revoke/", tokens_views.token_revoke_view, name="token-revoke"),
    path("access/<str:model_label>/<str:pk>/", views.break_glass, name="break-glass"),
    path("audit/break-glass/", views.break_glass_list, name="break-glass-list"),
]
