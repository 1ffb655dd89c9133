"""The clean stage: page envelope -> Article (or Rejection), duplicates flagged.

`clean()` is pure (no Beam, no Kafka); `CleanPages` is the Beam PTransform around it.
The Beam parts are imported lazily so the CLI and process-pool workers stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.clean.core import DEFAULT_OPTIONS, CleanOptions, clean, detect_language
from pipeline.clean.records import DUPLICATE_KINDS, REJECTION_REASONS, Article, Rejection

if TYPE_CHECKING:
    from pipeline.clean.transform import ARTICLES_TAG, CleanPages, CleanPipelineOptions

__all__ = [
    "ARTICLES_TAG",
    "DEFAULT_OPTIONS",
    "DUPLICATE_KINDS",
    "REJECTION_REASONS",
    "Article",
    "CleanOptions",
    "CleanPages",
    "CleanPipelineOptions",
    "Rejection",
    "clean",
    "detect_language",
]

_LAZY = {"CleanPages", "CleanPipelineOptions", "ARTICLES_TAG"}


def __getattr__(name: str):
    if name in _LAZY:
        from pipeline.clean import transform

        return getattr(transform, name)
    raise AttributeError(f"module 'pipeline.clean' has no attribute {name!r}")
