"""The disposal and diversion contract lists: the rows a user may see, filtered.

One function per list, shared by the list pages, the CSV exports and the API, so the three
always show the same rows: ``restrict(..., "view")`` first (the scope policies decide the
rows), then the FilterSet narrows them. The filters are checked by the caller
(``filterset.is_valid()``); the queryset returned is already filtered (empty when a filter
is wrong).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from pontio.accounts.models import User
from pontio.core.scopes import restrict
from pontio.disposals.filters import ContractFilter, DisposalFilter
from pontio.disposals.models import Disposal, DiversionContract

DISPOSAL_PARTS = ("person", "county", "offence", "disposal_type", "decided_by")
CONTRACT_PARTS = ("person", "county", "scheme", "organisation", "navigator", "disposal")


def disposal_rows(user: User, action: str = "view") -> QuerySet[Disposal]:
    """The disposals the user may ``action``, with what the lists show."""
    return (
        restrict(Disposal.objects.all(), user, action)
        .select_related(*DISPOSAL_PARTS)
        .defer("county__boundary")
        .order_by("-decided_at", "-pk")
    )


def contract_rows(user: User, action: str = "view") -> QuerySet[DiversionContract]:
    """The diversion contracts the user may ``action``, with what the lists show."""
    return (
        restrict(DiversionContract.objects.all(), user, action)
        .select_related(*CONTRACT_PARTS)
        .defer("county__boundary")
        .order_by("-referred_at", "-pk")
    )


def disposals_for(
    user: User, data: Any, request: HttpRequest | None = None
) -> tuple[DisposalFilter, QuerySet[Disposal]]:
    """The filters (bound to ``data``, e.g. ``request.GET``) and the disposals they leave."""
    filterset = DisposalFilter(
        {} if data is None else data, queryset=disposal_rows(user), request=request
    )
    rows = filterset.qs if filterset.is_valid() else Disposal.objects.none()
    return filterset, rows


def contracts_for(
    user: User, data: Any, request: HttpRequest | None = None
) -> tuple[ContractFilter, QuerySet[DiversionContract]]:
    """The filters (bound to ``data``) and the contracts they leave. ``request`` lets the
    "navigator: mine" filter know who asks."""
    filterset = ContractFilter(
        {} if data is None else data, queryset=contract_rows(user), request=request
    )
    rows = filterset.qs if filterset.is_valid() else DiversionContract.objects.none()
    return filterset, rows
