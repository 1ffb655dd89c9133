"""The typed record that ReadFromKafka emits: one Kafka message with its coordinates."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field


def _b64(data: bytes | None) -> str | None:
    return base64.b64encode(data).decode("ascii") if data is not None else None


def _unb64(text: str | None) -> bytes | None:
    return base64.b64decode(text) if text is not None else None


@dataclass(frozen=True, slots=True)
class KafkaRecord:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int  # the record's Kafka timestamp (CreateTime or LogAppendTime)
    headers: tuple[tuple[str, bytes], ...] = field(default=())

    @property
    def coordinates(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"

    def to_dict(self) -> dict:
        """JSON-safe form (schemas/kafka_record.schema.json): bytes as base64."""
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "key_b64": _b64(self.key),
            "value_b64": _b64(self.value),
            "timestamp_ms": self.timestamp_ms,
            "headers": [[k, _b64(v)] for k, v in self.headers],
        }

    @classmethod
    def from_dict(cls, d: dict) -> KafkaRecord:
        return cls(
            topic=d["topic"],
            partition=d["partition"],
            offset=d["offset"],
            key=_unb64(d.get("key_b64")),
            value=_unb64(d.get("value_b64")),
            timestamp_ms=d["timestamp_ms"],
            headers=tuple((k, _unb64(v)) for k, v in d.get("headers") or ()),
        )
