"""Every API endpoint of the operations app (the lead mounts it in ``pontio.api_urls``:
``urlpatterns += operations_api_urls.urlpatterns``)."""

from pontio.operations.api import operations

urlpatterns = [*operations.urlpatterns]
