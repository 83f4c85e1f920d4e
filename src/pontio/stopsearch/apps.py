from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StopSearchConfig(AppConfig):
    name = "pontio.stopsearch"
    label = "stopsearch"
    verbose_name = _("Stop and search")

    def ready(self) -> None:
        from pontio.core.navigation import NavItem, Panel, register, register_panel
        from pontio.stopsearch import (
            policies,  # noqa: F401  (registers scope policies)
            views_analysis,
            views_audit,
        )

        items = (
            # Exact prefixes, so that one item at most is current on any page.
            (_("Stop and search"), "stopsearch:list", "stopsearch.view", 30, "/stop-search/"),
            (
                _("Reviews"),
                "stopsearch:review-list",
                "stopsearch.review",
                32,
                "/stop-search/reviews/",
            ),
            (
                _("Reviews"),
                "stopsearch:panel-list",
                "stopsearch.independent_review",
                32,
                "/stop-search/panel/",
            ),
            (
                _("Search figures"),
                "stopsearch:analysis",
                "stopsearch.analyse",
                34,
                "/stop-search/analysis",
            ),
            (
                _("police.uk data"),
                "stopsearch:import-list",
                "stopsearch.import",
                36,
                "/stop-search/imports/",
            ),
        )
        for label, url_name, permission, order, prefix in items:
            register(NavItem(label, url_name, permission, order=order, section_prefix=prefix))
        views_analysis.register()
        register_panel(Panel("stopsearch.manage_audit", views_audit.audit_panel, order=35))
        register_panel(Panel("stopsearch.independent_review", views_audit.reviewer_panel, order=35))
