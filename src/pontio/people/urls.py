from django.urls import path

from pontio.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("new/", views.person_create, name="create"),
    path("new/check/", views.person_create_matches, name="create-matches"),
    path("new/details/", views.person_create_details, name="create-details"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/addresses/new/", views.address_add, name="address-add"),
    path("<int:pk>/phones/new/", views.phone_add, name="phone-add"),
    path("<int:pk>/emails/new/", views.email_add, name="email-add"),
    path("<int:pk>/aliases/new/", views.alias_add, name="alias-add"),
    path("<int:pk>/custody-numbers/new/", views.custody_number_add, name="custody-number-add"),
    path("<int:pk>/flags/new/", views.flag_raise, name="flag-raise"),
    path("<int:pk>/flags/<int:flag_pk>/resolve/", views.flag_resolve, name="flag-resolve"),
    path("<int:pk>/consents/new/", views.consent_add, name="consent-add"),
    path("<int:pk>/merge/", views.person_merge, name="merge"),
    path("<int:pk>/unmerge/", views.person_unmerge, name="unmerge"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("duplicates/<int:pk>/", views.duplicate_detail, name="duplicate"),
    path("matching/", views.matching_model, name="matching"),
    path("matching/estimate/", views.matching_estimate, name="matching-estimate"),
    path("matching/deduplicate/", views.deduplication_start, name="deduplication-start"),
]
