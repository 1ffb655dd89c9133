"""The events stage: Article -> CAMEO-coded political events (GDELT-style), many languages.

`extract_events(article)` is pure (no Beam); `ExtractEvents` is the Beam PTransform
around it (imported lazily so the pure coder stays light).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.events.coder import (
    CODER_NAME,
    CODER_VERSION,
    extract_events,
    extract_events_from_text,
)
from pipeline.events.record import Event, EventAction, EventActor, EventEvidence, EventLocation

if TYPE_CHECKING:
    from pipeline.events.transform import ExtractEvents

__all__ = [
    "CODER_NAME",
    "CODER_VERSION",
    "Event",
    "EventAction",
    "EventActor",
    "EventEvidence",
    "EventLocation",
    "ExtractEvents",
    "extract_events",
    "extract_events_from_text",
]


def __getattr__(name: str):
    if name == "ExtractEvents":
        from pipeline.events.transform import ExtractEvents

        return ExtractEvents
    raise AttributeError(f"module 'pipeline.events' has no attribute {name!r}")
