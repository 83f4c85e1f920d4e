"""The current linkage model: the stored one marked current, else the one shipped with the
code. Parsed once per process and version; the version is read once per request. (The
models are imported where used, so that the matcher imports without Django set up, as
bench/match_eval.py uses it.)"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from pontio.core.request_cache import cached
from pontio.people.linkage.model import LinkageModel

_PARSED: dict[int, LinkageModel] = {}

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent / "linkage" / "default_model.json"


@lru_cache(maxsize=1)
def default_model() -> LinkageModel:
    """The model shipped with the code (used until one is estimated from this table)."""
    return LinkageModel.from_json(json.loads(DEFAULT_MODEL_PATH.read_text(encoding="utf-8")))


def current_version() -> int:
    """The current model's version (primary key), or 0 for the shipped model."""
    from pontio.people.models import MatchModel

    return cached(
        ("people.match_model",),
        lambda: (
            MatchModel.objects.filter(is_current=True).values_list("pk", flat=True).first() or 0
        ),
    )


def current_match_model() -> LinkageModel:
    version = current_version()
    if not version:
        return default_model()
    model = _PARSED.get(version)
    if model is None:
        from pontio.people.models import MatchModel

        parameters = MatchModel.objects.values_list("parameters", flat=True).get(pk=version)
        model = LinkageModel.from_json(parameters)
        _PARSED.clear()
        _PARSED[version] = model
    return model
