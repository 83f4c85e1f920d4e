"""Pages of the disposals app: panel (its URL patterns are listed here)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
