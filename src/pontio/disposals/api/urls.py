"""Every API endpoint of the disposals app (mounted by ``pontio.api_urls``)."""

from pontio.disposals.api import contracts, decisions, disposals, outcomes

urlpatterns = [
    *disposals.urlpatterns,
    *decisions.urlpatterns,
    *contracts.urlpatterns,
    *outcomes.urlpatterns,
]
