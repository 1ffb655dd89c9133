"""Pure functions: record dicts -> typed table rows (no I/O, tolerant of odd input).

Records are dicts from Article/Event/DeadLetter.to_dict(). Missing or malformed optional
fields become NULL in their typed column (the full record is always kept as JSONB), so a
record never fails the write because of a field the schema did not expect. NUL
characters, which PostgreSQL text/jsonb refuse, are stripped.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any
from urllib.parse import urlsplit

import orjson

ARTICLE_COLUMNS = (
    "article_id", "url", "canonical_url", "domain", "title", "language", "site_name",
    "published_at", "fetched_at", "word_count", "content_hash", "simhash", "duplicate_of",
    "duplicate_kind", "extractor", "record",
)
MENTION_COLUMNS = (
    "event_id", "event_key", "article_id", "url", "domain", "language", "published_at",
    "event_date", "date_precision", "actor1_code", "actor1_name", "actor1_country",
    "actor2_code", "actor2_name", "actor2_country", "cameo", "cameo_base", "cameo_root",
    "quad_class", "goldstein", "plover", "modality", "sentence_index", "sentence",
    "char_start", "char_end", "trigger_start", "trigger_end", "location_name",
    "location_country", "confidence", "coder_name", "coder_version", "record",
)
DEAD_LETTER_COLUMNS = (
    "dead_letter_id", "stage", "reason", "detail", "topic", "kafka_partition", "kafka_offset",
    "original_size", "record_timestamp_ms", "dead_lettered_at", "record",
)


def strip_nul(value: Any) -> Any:
    """`value` with NUL characters removed from every string, recursively."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, float) and not math.isfinite(value):
        return None  # jsonb has no NaN/Infinity
    if isinstance(value, dict):
        return {strip_nul(k): strip_nul(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [strip_nul(v) for v in value]
    return value


def to_json(record: dict) -> str:
    """JSONB text of a record (NULs stripped, odd types stringified)."""
    # Fast path: orjson already writes NaN/Infinity as null and escapes NUL as \u0000,
    # so without that escape in the output the copy made by strip_nul would change nothing.
    try:
        data = orjson.dumps(record, default=str, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        data = None
    if data is not None and b"\\u0000" not in data:
        return data.decode("utf-8")
    clean = strip_nul(record)
    try:
        return orjson.dumps(clean, default=str, option=orjson.OPT_NON_STR_KEYS).decode("utf-8")
    except TypeError:  # e.g. integers beyond 64 bits, which jsonb (numeric) accepts
        return json.dumps(clean, default=str, ensure_ascii=False)


def text(value: Any, limit: int | None = None) -> str | None:
    if value is None:
        return None
    s = value if isinstance(value, str) else str(value)
    s = s.replace("\x00", "")
    return s[:limit] if limit else s


def integer(value: Any, bits: int = 32) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    bound = 1 << (bits - 1)
    return n if -bound <= n < bound else None


def real(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def timestamp(value: Any) -> dt.datetime | None:
    """ISO-8601 string, unix seconds or unix milliseconds -> aware datetime (else None)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | float):
            seconds = value / 1000.0 if abs(value) > 1e11 else float(value)
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        if isinstance(value, str) and value.strip():
            s = value.strip()
            if s.endswith("Z"):
                s = s[:-1] + "+00:00"
            parsed = dt.datetime.fromisoformat(s)
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=dt.UTC)
            if not 1 <= parsed.year <= 9999:
                return None
            return parsed
    except (ValueError, OverflowError, OSError):
        return None
    return None


def date(value: Any) -> dt.date | None:
    """'YYYY-MM-DD' (or a longer ISO timestamp, or 'YYYY-MM' / 'YYYY' partial dates) -> date."""
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    for candidate in (s[:10], s[:7] + "-01", s[:4] + "-01-01"):
        try:
            return dt.date.fromisoformat(candidate)
        except ValueError:
            continue
    return None


def domain_of(url: Any) -> str | None:
    """Host of a URL without a leading www. (the mention's source, GDELT MentionSourceName)."""
    if not isinstance(url, str) or not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    host = host.lower()
    return (host.removeprefix("www.")) or None


def _part(d: Any, key: str) -> Any:
    return d.get(key) if isinstance(d, dict) else None


def _code(d: Any, key: str) -> str:
    value = d.get(key) if isinstance(d, dict) else None
    return str(value).strip() if value is not None else ""


def event_key(record: dict) -> str:
    """Groups mentions of one real-world event across articles (GDELT's GlobalEventID):
    "actor1 code|actor2 code|CAMEO code|event date", missing parts empty — the same string
    as pipeline.aggregate.format_event_key, so streamed and stored aggregates line up."""
    return "|".join((_code(record.get("actor1"), "code"), _code(record.get("actor2"), "code"),
                     _code(record.get("action"), "cameo"), _code(record, "event_date")))


def article_row(key: str, r: dict) -> tuple:
    url = r.get("url")
    return (
        key, text(url), text(r.get("canonical_url")), text(r.get("domain")) or domain_of(url),
        text(r.get("title")), text(r.get("language")), text(r.get("site_name")),
        timestamp(r.get("published_at")), timestamp(r.get("fetched_at")),
        integer(r.get("word_count")), text(r.get("content_hash")), text(r.get("simhash")),
        text(r.get("duplicate_of")), text(r.get("duplicate_kind")), text(r.get("extractor")),
        to_json(r),
    )


def mention_row(key: str, r: dict) -> tuple:
    a1, a2 = r.get("actor1"), r.get("actor2")
    action = r.get("action") if isinstance(r.get("action"), dict) else {}
    evidence = r.get("evidence") if isinstance(r.get("evidence"), dict) else {}
    location = r.get("location")
    coder = r.get("coder") if isinstance(r.get("coder"), dict) else {}
    url = r.get("url")
    cameo = text(action.get("cameo"))
    return (
        key, event_key(r), text(r.get("article_id")), text(url), domain_of(url),
        text(r.get("language")), timestamp(r.get("published_at")), date(r.get("event_date")),
        text(r.get("date_precision")),
        text(_part(a1, "code")), text(_part(a1, "name")), text(_part(a1, "country")),
        text(_part(a2, "code")), text(_part(a2, "name")), text(_part(a2, "country")),
        cameo, text(action.get("base")) or (cameo[:3] if cameo else None),
        text(action.get("root")) or (cameo[:2] if cameo else None),
        integer(action.get("quad_class"), 16), real(action.get("goldstein")),
        text(action.get("plover")), text(r.get("modality")),
        integer(evidence.get("sentence_index")), text(evidence.get("sentence")),
        integer(evidence.get("start")), integer(evidence.get("end")),
        integer(evidence.get("trigger_start")), integer(evidence.get("trigger_end")),
        text(_part(location, "name")), text(_part(location, "country")),
        real(r.get("confidence")), text(coder.get("name")), text(coder.get("version")),
        to_json(r),
    )


def dead_letter_row(key: str, r: dict) -> tuple:
    return (
        key, text(r.get("stage")), text(r.get("reason")), text(r.get("detail")),
        text(r.get("topic")), integer(r.get("partition")), integer(r.get("offset"), 64),
        integer(r.get("original_size")), integer(r.get("record_timestamp_ms"), 64),
        timestamp(r.get("dead_lettered_at")), to_json(r),
    )
