"""Setting the tracker up (OPCC analyst): reviews, recommendations, background papers and
boards. Included in ``oversight.urls`` (namespace ``oversight``)."""

from django.urls import path

from pontio.oversight.views import manage

urlpatterns = [
    path("reviews/new/", manage.review_create, name="review-create"),
    path("reviews/<int:pk>/edit/", manage.review_edit, name="review-edit"),
    path(
        "reviews/<int:pk>/recommendations/new/",
        manage.recommendation_create,
        name="recommendation-create",
    ),
    path("recommendations/<int:pk>/edit/", manage.recommendation_edit, name="recommendation-edit"),
    path("reviews/<int:pk>/papers/new/", manage.paper_add, name="paper-add"),
    path("papers/<int:pk>/remove/", manage.paper_remove, name="paper-remove"),
    path("boards/new/", manage.board_create, name="board-create"),
    path("boards/<int:pk>/edit/", manage.board_edit, name="board-edit"),
]
