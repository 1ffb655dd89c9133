"""Dead letters: bad input never stops the stream and is never dropped silently.

Every stage that cannot handle an input emits a DeadLetter carrying the reason, the
original bytes and the Kafka coordinates, so an operator can inspect and replay it.
Schema: schemas/dead_letter.schema.json.
"""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass

# Tag of the dead-letter output of every DoFn (beam.pvalue.TaggedOutput(DEAD_LETTER_TAG, ...)).
DEAD_LETTER_TAG = "dead_letter"


@dataclass(frozen=True, slots=True)
class DeadLetter:
    stage: str            # where it failed: "decode", "clean", "events", "sink:<name>"
    reason: str           # short machine-readable reason, e.g. "not_json", "too_large"
    detail: str           # human-readable explanation (never contains secrets)
    original: bytes       # the original message value, unchanged
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    record_timestamp_ms: int | None = None
    dead_lettered_at: float = 0.0  # unix seconds; filled by make_dead_letter

    @property
    def dead_letter_id(self) -> str:
        """Idempotency key: one dead letter per input message and stage."""
        if self.topic is not None:
            return f"{self.stage}:{self.topic}/{self.partition}/{self.offset}"
        import hashlib

        return f"{self.stage}:{hashlib.sha1(self.original).hexdigest()}"

    def to_dict(self) -> dict:
        return {
            "dead_letter_id": self.dead_letter_id,
            "stage": self.stage,
            "reason": self.reason,
            "detail": self.detail,
            "original_b64": base64.b64encode(self.original).decode("ascii"),
            "original_size": len(self.original),
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "key": self.key.decode("utf-8", "replace") if self.key is not None else None,
            "record_timestamp_ms": self.record_timestamp_ms,
            "dead_lettered_at": self.dead_lettered_at,
        }

    @classmethod
    def from_dict(cls, d: dict) -> DeadLetter:
        return cls(
            stage=d["stage"],
            reason=d["reason"],
            detail=d.get("detail", ""),
            original=base64.b64decode(d["original_b64"]),
            topic=d.get("topic"),
            partition=d.get("partition"),
            offset=d.get("offset"),
            key=d["key"].encode("utf-8") if d.get("key") is not None else None,
            record_timestamp_ms=d.get("record_timestamp_ms"),
            dead_lettered_at=d.get("dead_lettered_at", 0.0),
        )


def make_dead_letter(stage: str, reason: str, detail: str, original: bytes, record=None) -> DeadLetter:
    """Build a dead letter, taking coordinates from a KafkaRecord (or anything with the same fields)."""
    return DeadLetter(
        stage=stage,
        reason=reason,
        detail=detail[:2000],
        original=original if original is not None else b"",
        topic=getattr(record, "topic", None),
        partition=getattr(record, "partition", None),
        offset=getattr(record, "offset", None),
        key=getattr(record, "key", None),
        record_timestamp_ms=getattr(record, "timestamp_ms", None),
        dead_lettered_at=time.time(),
    )
