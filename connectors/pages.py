"""The page envelope: what a crawler puts on the pages topic (schemas/page.schema.json).

`decode_page(record)` validates a Kafka message at the edge and returns a PageEnvelope
or a DeadLetter; it never raises on bad input. The checks are hand-written (fast) and
kept in agreement with the JSON Schema by tests/connectors/test_pages.py.

Envelope (JSON object, UTF-8):
    url            required, non-empty string
    html           the page HTML as a string, or
    html_gzip_b64  base64 of the gzip of the UTF-8 HTML (exactly one of the two)
    fetched_at     RFC 3339 time of the fetch          (optional, may be null)
    http_status    int 100..599                        (optional, may be null)
    headers        object of string -> string          (optional, may be null)
    crawler        string                              (optional, may be null)
    language       language hint, e.g. "hi"            (optional, may be null)
Unknown fields are ignored (forward compatible).
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from dataclasses import dataclass, field

from connectors.deadletter import DeadLetter, make_dead_letter

DECODE_STAGE = "decode"
DEFAULT_MAX_PAGE_BYTES = 20 * 1024 * 1024
REASONS = ("empty", "too_large", "invalid_utf8", "not_json", "not_object", "missing_field",
           "wrong_type", "bad_encoding")

# RFC 3339 date-time (section 5.6), same pattern as schemas/page.schema.json.
RFC3339_PATTERN = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:"
    r"([0-5][0-9]|60)(\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
_RFC3339 = re.compile(RFC3339_PATTERN)
_OPTIONAL_STRINGS = (("fetched_at", "fetched_at"), ("crawler", "crawler"),
                     ("language", "language_hint"))


@dataclass(frozen=True, slots=True)
class PageEnvelope:
    url: str
    html: str                         # decoded HTML text (the envelope may carry it gzip+base64)
    fetched_at: str | None = None     # RFC 3339 time of the fetch
    http_status: int | None = None
    headers: dict = field(default_factory=dict)
    crawler: str | None = None
    language_hint: str | None = None  # only a hint; cleaning detects the language itself
    # Kafka coordinates of the message this page came from (None outside Kafka).
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    key: bytes | None = None
    timestamp_ms: int | None = None
    source_file: str | None = None    # set by `newsbeam clean PATH…`

    def to_dict(self) -> dict:
        """The envelope JSON object (plain `html`; coordinates are not part of it)."""
        d: dict = {"url": self.url, "html": self.html}
        for name, attr in (("fetched_at", self.fetched_at), ("http_status", self.http_status),
                           ("crawler", self.crawler), ("language", self.language_hint)):
            if attr is not None:
                d[name] = attr
        if self.headers:
            d["headers"] = dict(self.headers)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> PageEnvelope:
        """Inverse of to_dict for a valid envelope (use decode_page for untrusted input)."""
        return cls(url=d["url"], html=d["html"], fetched_at=d.get("fetched_at"),
                   http_status=d.get("http_status"), headers=dict(d.get("headers") or {}),
                   crawler=d.get("crawler"), language_hint=d.get("language"))


class _Invalid(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _gunzip_b64(text: str, max_bytes: int) -> str:
    try:
        compressed = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _Invalid("bad_encoding", f"html_gzip_b64 is not base64: {exc}") from exc
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip container only
    try:
        raw = inflater.decompress(compressed, max_bytes + 1)
    except zlib.error as exc:
        raise _Invalid("bad_encoding", f"html_gzip_b64 is not gzip: {exc}") from exc
    if len(raw) > max_bytes or inflater.unconsumed_tail:
        raise _Invalid("too_large", f"gzipped html inflates beyond {max_bytes} bytes")
    if not inflater.eof:
        raise _Invalid("bad_encoding", "html_gzip_b64 is truncated gzip")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _Invalid("bad_encoding", f"gzipped html is not UTF-8: {exc}") from exc


def _check_envelope(obj: object, max_bytes: int) -> dict:
    """Validated envelope fields as PageEnvelope kwargs, or raise _Invalid."""
    if not isinstance(obj, dict):
        raise _Invalid("not_object", f"envelope is a JSON {type(obj).__name__}, not an object")
    url = obj.get("url")
    if "url" not in obj or url == "":
        raise _Invalid("missing_field", "url is missing or empty")
    if not isinstance(url, str):
        raise _Invalid("wrong_type", f"url must be a string, not {type(url).__name__}")
    has_html, has_packed = "html" in obj, "html_gzip_b64" in obj
    if not has_html and not has_packed:
        raise _Invalid("missing_field", "neither html nor html_gzip_b64 is present")
    if has_html and has_packed:
        raise _Invalid("wrong_type", "html and html_gzip_b64 are both present; send one")
    html = obj.get("html")
    if has_html and not isinstance(html, str):
        raise _Invalid("wrong_type", f"html must be a string, not {type(html).__name__}")
    if has_packed:
        packed = obj["html_gzip_b64"]
        if not isinstance(packed, str):
            raise _Invalid("wrong_type", "html_gzip_b64 must be a string")
        html = _gunzip_b64(packed, max_bytes)
    kwargs: dict = {"url": url, "html": html}
    for name, attr in _OPTIONAL_STRINGS:
        value = obj.get(name)
        if value is not None and not isinstance(value, str):
            raise _Invalid("wrong_type", f"{name} must be a string")
        kwargs[attr] = value
    if kwargs["fetched_at"] is not None and not _RFC3339.match(kwargs["fetched_at"]):
        raise _Invalid("wrong_type", f"fetched_at is not RFC 3339: {kwargs['fetched_at']!r}")
    status = obj.get("http_status")
    if status is not None:
        if isinstance(status, float) and status.is_integer():
            status = int(status)
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
            raise _Invalid("wrong_type", f"http_status must be an int 100..599: {status!r}")
    kwargs["http_status"] = status
    headers = obj.get("headers")
    if headers is not None and (not isinstance(headers, dict) or not all(
        isinstance(v, str) for v in headers.values()
    )):
        raise _Invalid("wrong_type", "headers must be an object of strings")
    kwargs["headers"] = dict(headers or {})
    return kwargs


def decode_page_bytes(value: bytes | None, record=None, *,
                      max_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> PageEnvelope | DeadLetter:
    """Decode envelope bytes; `record` (a KafkaRecord or None) supplies coordinates."""
    import orjson

    raw = value if value is not None else b""

    def dead(reason: str, detail: str) -> DeadLetter:
        return make_dead_letter(DECODE_STAGE, reason, detail, raw, record)

    if not raw:
        return dead("empty", "message value is empty")
    if len(raw) > max_bytes:
        return dead("too_large", f"message is {len(raw)} bytes; limit {max_bytes}")
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as uexc:
            return dead("invalid_utf8", f"message is not UTF-8: {uexc}")
        return dead("not_json", f"message is not JSON: {exc}")
    try:
        kwargs = _check_envelope(obj, max_bytes)
    except _Invalid as bad:
        return dead(bad.reason, bad.detail)
    if record is not None:
        kwargs.update(topic=getattr(record, "topic", None),
                      partition=getattr(record, "partition", None),
                      offset=getattr(record, "offset", None),
                      key=getattr(record, "key", None),
                      timestamp_ms=getattr(record, "timestamp_ms", None))
    return PageEnvelope(**kwargs)


def decode_page(record, max_bytes: int = DEFAULT_MAX_PAGE_BYTES) -> PageEnvelope | DeadLetter:
    """KafkaRecord -> PageEnvelope (with Kafka coordinates) or DeadLetter(stage="decode")."""
    return decode_page_bytes(record.value, record, max_bytes=max_bytes)


def encode_page(url: str, html: str, *, gzip: bool = False, fetched_at: str | None = None,
                http_status: int | None = None, headers: dict | None = None,
                crawler: str | None = None, language: str | None = None) -> bytes:
    """Build envelope bytes (what `newsbeam produce` sends); gzip=True packs html_gzip_b64."""
    import gzip as gzip_module

    import orjson

    if not url:
        raise ValueError("url is required")
    envelope: dict = {"url": url}
    if gzip:
        packed = gzip_module.compress(html.encode("utf-8"), compresslevel=6, mtime=0)
        envelope["html_gzip_b64"] = base64.b64encode(packed).decode("ascii")
    else:
        envelope["html"] = html
    for name, value in (("fetched_at", fetched_at), ("http_status", http_status),
                        ("crawler", crawler), ("language", language)):
        if value is not None:
            envelope[name] = value
    if headers:
        envelope["headers"] = dict(headers)
    return orjson.dumps(envelope)
