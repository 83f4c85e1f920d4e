"""A document's values as JSON, and back: what was printed, kept with the record.

The PDF can then be drawn again from exactly the values it was drawn from, whatever has
changed on the person's record since (their address, their name), and rendering is
deterministic (``render``), so a reprint is the same document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import types
import typing
from typing import Any

from pontio.custody.notices import data as _data

_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in vars(_data).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls)
}


def dump(value: Any) -> Any:
    """JSON-ready values: dataclasses tagged with their class, dates and datetimes in ISO."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: dump(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__class__": type(value).__name__, **fields}
    if isinstance(value, dt.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dt.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [dump(v) for v in value]
    return value


def _coerce(value: Any, hint: Any) -> Any:
    """An enum field back to its enum (the renderers compare with members)."""
    if value is None:
        return None
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
    for option in options:
        if isinstance(option, type) and issubclass(option, enum.Enum):
            return option(value)
    return value


def load(value: Any) -> Any:
    """The values ``dump`` wrote, as the dataclasses they were."""
    if isinstance(value, list):
        return tuple(load(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "__datetime__" in value:
        return dt.datetime.fromisoformat(value["__datetime__"])
    if "__date__" in value:
        return dt.date.fromisoformat(value["__date__"])
    cls = _CLASSES[value["__class__"]]
    hints = typing.get_type_hints(cls)
    kwargs = {
        name: _coerce(load(raw), hints.get(name))
        for name, raw in value.items()
        if name != "__class__"
    }
    return cls(**kwargs)
