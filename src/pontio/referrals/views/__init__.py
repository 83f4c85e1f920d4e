"""Referral pages, one module per side or feature: ``detail`` (the one referral page),
``create`` (the officer's two steps), ``police`` (withdraw, re-send, alerts), ``provider``
(the provider's view and moves), ``work`` (the provider's records), ``lists`` (inbox and
exports), ``metrics``. ``urls.py`` names them all."""
