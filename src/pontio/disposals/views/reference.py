"""Pages of the disposals app: reference (its URL patterns are listed here)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
