"""API of the disposals app: contracts."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
