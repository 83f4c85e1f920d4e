"""Every API endpoint of the disposals app (mounted by ``pontio.api_urls``)."""

from pontio.disposals.api import contracts, disposals, outcomes

urlpatterns = [*disposals.urlpatterns, *contracts.urlpatterns, *outcomes.urlpatterns]
