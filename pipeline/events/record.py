"""The Event record: one CAMEO-coded political event found in an article.

Mirrors schemas/event.schema.json. Field names follow GDELT where a GDELT field
exists (see the schema descriptions for the mapping to the Event and Mentions tables).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class EventActor:
    text: str  # as written in the sentence
    name: str  # normalised name
    code: str  # CAMEO-style actor code, e.g. "RUSGOV", "IGOEUREEC", "---REB"
    country: str | None = None  # ISO 3166-1 alpha-3
    role: str | None = None  # GOV, MIL, COP, ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventActor:
        return cls(
            text=d["text"],
            name=d["name"],
            code=d["code"],
            country=d.get("country"),
            role=d.get("role"),
        )


@dataclass(frozen=True, slots=True)
class EventAction:
    trigger: str  # the words that triggered the code, as written
    cameo: str  # full CAMEO code, e.g. "0312"
    root: str  # first two digits, e.g. "03"
    base: str | None  # first three digits, e.g. "031" (None for a root-only code)
    quad_class: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein: float  # Goldstein scale, -10 .. +10
    plover: str | None = None  # PLOVER event type, e.g. "CONSULT"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventAction:
        return cls(
            trigger=d["trigger"],
            cameo=d["cameo"],
            root=d["root"],
            base=d.get("base"),
            quad_class=int(d["quad_class"]),
            goldstein=float(d["goldstein"]),
            plover=d.get("plover"),
        )


@dataclass(frozen=True, slots=True)
class EventLocation:
    name: str
    country: str | None = None
    kind: str | None = None  # "country" | "city"
    lat: float | None = None
    lon: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventLocation:
        return cls(
            name=d["name"],
            country=d.get("country"),
            kind=d.get("kind"),
            lat=d.get("lat"),
            lon=d.get("lon"),
        )


@dataclass(frozen=True, slots=True)
class EventEvidence:
    sentence_index: int
    sentence: str
    start: int  # char offset of the sentence in the article text
    end: int
    trigger_start: int | None = None  # char offsets of the trigger in the article text
    trigger_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EventEvidence:
        return cls(
            sentence_index=int(d["sentence_index"]),
            sentence=d["sentence"],
            start=int(d["start"]),
            end=int(d["end"]),
            trigger_start=d.get("trigger_start"),
            trigger_end=d.get("trigger_end"),
        )


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    article_id: str | None
    url: str | None
    language: str
    published_at: str | None
    actor1: EventActor | None
    actor2: EventActor | None
    action: EventAction
    modality: str  # "asserted" | "intended" | "reported"
    event_date: str | None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | None
    date_precision: str  # "day" | "month" | "year" | "published" | "none"
    location: EventLocation | None
    evidence: EventEvidence
    confidence: float
    coder: dict[str, str] = field(default_factory=dict)  # {"name": ..., "version": ...}

    def to_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "url": self.url,
            "language": self.language,
            "published_at": self.published_at,
            "actor1": self.actor1.to_dict() if self.actor1 else None,
            "actor2": self.actor2.to_dict() if self.actor2 else None,
            "action": self.action.to_dict(),
            "modality": self.modality,
            "event_date": self.event_date,
            "date_precision": self.date_precision,
            "location": self.location.to_dict() if self.location else None,
            "evidence": self.evidence.to_dict(),
            "confidence": self.confidence,
            "coder": dict(self.coder),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(
            event_id=d["event_id"],
            article_id=d.get("article_id"),
            url=d.get("url"),
            language=d["language"],
            published_at=d.get("published_at"),
            actor1=EventActor.from_dict(d["actor1"]) if d.get("actor1") else None,
            actor2=EventActor.from_dict(d["actor2"]) if d.get("actor2") else None,
            action=EventAction.from_dict(d["action"]),
            modality=d["modality"],
            event_date=d.get("event_date"),
            date_precision=d.get("date_precision", "none"),
            location=EventLocation.from_dict(d["location"]) if d.get("location") else None,
            evidence=EventEvidence.from_dict(d["evidence"]),
            confidence=float(d["confidence"]),
            coder=dict(d.get("coder") or {}),
        )
