"""API of the disposals app: outcomes."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
