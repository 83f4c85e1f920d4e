"""API of the disposals app: disposals."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
