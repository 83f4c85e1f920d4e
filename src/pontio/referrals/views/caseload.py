"""Placeholder replaced by the feature's views (referrals' daily work)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
