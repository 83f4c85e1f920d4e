"""Template tags for GOV.UK components that need Python: widgets, pagination, language."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.http import QueryDict
from django.utils.safestring import SafeString

from pontio.core.forms import widget_attrs

register = template.Library()


@register.simple_tag
def govuk_widget(field: forms.BoundField) -> SafeString:
    return field.as_widget(attrs=widget_attrs(field))


@register.simple_tag
def govuk_field(field: forms.BoundField) -> SafeString:
    return field.as_field_group()


@register.filter
def error_id(field: forms.BoundField) -> str:
    """Where the error summary link should land: the first input of the field."""
    if field.widget_type == "govukdate":
        return f"{field.auto_id}_0"
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return str(field.auto_id)


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """The current URL's query with a different page number (filters are kept)."""
    query: QueryDict = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.inclusion_tag("govuk/pagination.html", takes_context=True)
def govuk_pagination(context: dict[str, Any], page: Page) -> dict[str, Any]:
    window = [
        n
        for n in page.paginator.page_range
        if n in {1, page.paginator.num_pages} or abs(n - page.number) <= 2
    ]
    items: list[int | None] = []
    for n in window:
        if items and items[-1] is not None and n - items[-1] > 1:
            items.append(None)
        items.append(n)
    return {"page": page, "items": items, "request": context["request"]}


@register.inclusion_tag("govuk/keyset_pagination.html", takes_context=True)
def keyset_pagination(context: dict[str, Any], page: Any) -> dict[str, Any]:
    """Previous and next links of a keyset page (``core.keyset``); the filters are kept."""

    def url(cursor: str | None) -> str | None:
        if not cursor:
            return None
        query: QueryDict = context["request"].GET.copy()
        query.pop("page", None)
        query["after"] = cursor
        return "?" + query.urlencode()

    return {"previous": url(page.previous_cursor), "next": url(page.next_cursor)}
