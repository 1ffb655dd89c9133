"""The typed record that ReadFromKafka emits: one Kafka message with its coordinates."""

from __future__ import annotations

from dataclasses import dataclass, field


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
