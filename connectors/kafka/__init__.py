"""Kafka edges on kafka-python: ReadFromKafka (splittable DoFn), WriteToKafka, KafkaSink.

Imports are lazy so `from connectors.kafka.records import KafkaRecord` stays cheap.
"""

from __future__ import annotations

from typing import Any

__all__ = ["KafkaConfig", "KafkaOptions", "KafkaRecord", "KafkaSink", "ReadFromKafka",
           "WriteToKafka", "request_stop"]

_WHERE = {
    "KafkaConfig": "connectors.kafka.config",
    "KafkaOptions": "connectors.kafka.options",
    "KafkaRecord": "connectors.kafka.records",
    "KafkaSink": "connectors.kafka.sink",
    "ReadFromKafka": "connectors.kafka.read",
    "request_stop": "connectors.kafka.read",
    "WriteToKafka": "connectors.kafka.write",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        import importlib

        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(name)
