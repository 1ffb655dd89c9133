"""decode_page / encode_page, and agreement with schemas/page.schema.json."""

from __future__ import annotations

import base64
import gzip
import json
import pathlib

import orjson
import pytest
from jsonschema import Draft202012Validator

from connectors.deadletter import DeadLetter
from connectors.kafka.records import KafkaRecord
from connectors.pages import (
    DECODE_STAGE,
    REASONS,
    PageEnvelope,
    decode_page,
    decode_page_bytes,
    encode_page,
)

REPO = pathlib.Path(__file__).resolve().parents[2]
PAGE_SCHEMA = json.loads((REPO / "schemas" / "page.schema.json").read_text())
DEAD_LETTER_SCHEMA = json.loads((REPO / "schemas" / "dead_letter.schema.json").read_text())


def _record(value: bytes | None, offset: int = 3) -> KafkaRecord:
    return KafkaRecord(topic="pages", partition=1, offset=offset, key=b"https://e.com/x",
                       value=value, timestamp_ms=1_672_400_000_000)


def _b64gz(text: str) -> str:
    return base64.b64encode(gzip.compress(text.encode("utf-8"))).decode("ascii")


HINDI = "<html><body><p>पुतिन ने शी से वीडियो कॉल पर बात की</p></body></html>"

# (envelope object, expected reason or None for valid). Every case is JSON, so the schema
# can judge it too; bad_encoding cases are valid JSON Schema-wise only where noted.
CASES = [
    ({"url": "https://e.com/a", "html": HINDI}, None),
    ({"url": "https://e.com/a", "html": ""}, None),
    ({"url": "https://e.com/a", "html_gzip_b64": _b64gz(HINDI)}, None),
    ({"url": "https://e.com/a", "html": "x", "fetched_at": "2022-12-30T14:05:00Z",
      "http_status": 200, "headers": {"content-type": "text/html"}, "crawler": "c/1",
      "language": "hi", "extra": [1, 2]}, None),
    ({"url": "https://e.com/a", "html": "x", "fetched_at": "2022-12-30T19:35:00.123+05:30"},
     None),
    ({"url": "https://e.com/a", "html": "x", "fetched_at": None, "http_status": None,
      "headers": None, "crawler": None, "language": None}, None),
    ({"html": "x"}, "missing_field"),
    ({"url": "", "html": "x"}, "missing_field"),
    ({"url": "https://e.com/a"}, "missing_field"),
    ({"url": None, "html": "x"}, "wrong_type"),
    ({"url": 5, "html": "x"}, "wrong_type"),
    ({"url": "https://e.com/a", "html": ["x"]}, "wrong_type"),
    ({"url": "https://e.com/a", "html": None}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "html_gzip_b64": _b64gz("x")}, "wrong_type"),
    ({"url": "https://e.com/a", "html_gzip_b64": 12}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "fetched_at": "yesterday"}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "fetched_at": "2022-13-30T14:05:00Z"},
     "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "fetched_at": "2022-12-30"}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "http_status": "200"}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "http_status": 99}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "http_status": True}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "headers": {"a": 1}}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "headers": ["a"]}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "crawler": 3}, "wrong_type"),
    ({"url": "https://e.com/a", "html": "x", "language": {"code": "hi"}}, "wrong_type"),
]


@pytest.mark.parametrize(("envelope", "reason"), CASES)
def test_decoder_and_json_schema_agree(envelope, reason):
    result = decode_page(_record(orjson.dumps(envelope)))
    schema_errors = list(Draft202012Validator(PAGE_SCHEMA).iter_errors(envelope))
    if reason is None:
        assert isinstance(result, PageEnvelope), result
        assert schema_errors == []
    else:
        assert isinstance(result, DeadLetter)
        assert result.reason == reason, result.detail
        assert schema_errors, "the schema accepts what the decoder rejects"


@pytest.mark.parametrize(("value", "reason"), [
    (None, "empty"),
    (b"", "empty"),
    (b"\xff\xfe\x00", "invalid_utf8"),
    ('{"url": "caf\u00e9"'.encode("latin-1"), "invalid_utf8"),
    (b"<html>not json</html>", "not_json"),
    (b'{"url": "x", "html": "y"', "not_json"),
    (b"[]", "not_object"),
    (b'"a string"', "not_object"),
    (b"42", "not_object"),
    (b"null", "not_object"),
])
def test_non_envelope_bytes_are_dead_lettered(value, reason):
    result = decode_page(_record(value))
    assert isinstance(result, DeadLetter)
    assert (result.stage, result.reason) == (DECODE_STAGE, reason)
    assert result.original == (value or b"")
    assert (result.topic, result.partition, result.offset) == ("pages", 1, 3)
    assert result.key == b"https://e.com/x"


@pytest.mark.parametrize("packed", [
    "!!!not base64!!!",
    "YWJj",                                       # base64 of "abc": not gzip
    base64.b64encode(gzip.compress(b"<html>")[:-6]).decode(),   # truncated gzip
    base64.b64encode(gzip.compress(b"\xff\xfe bad utf8")).decode(),
    "YWJ",                                        # bad padding
])
def test_broken_gzip_base64_is_bad_encoding(packed):
    result = decode_page(_record(orjson.dumps({"url": "https://e.com", "html_gzip_b64": packed})))
    assert isinstance(result, DeadLetter)
    assert result.reason == "bad_encoding", result.detail


def test_size_limit_is_checked_before_parsing_and_after_inflating():
    big = orjson.dumps({"url": "https://e.com", "html": "x" * 5000})
    assert decode_page(_record(big), max_bytes=1000).reason == "too_large"
    assert isinstance(decode_page(_record(big), max_bytes=10_000), PageEnvelope)
    # A small gzip that inflates past the limit (a "gzip bomb") is too_large as well.
    bomb = orjson.dumps({"url": "https://e.com", "html_gzip_b64": _b64gz("y" * 50_000)})
    assert len(bomb) < 1000
    assert decode_page(_record(bomb), max_bytes=10_000).reason == "too_large"
    not_json_but_huge = b"\xff" * 2000
    assert decode_page(_record(not_json_but_huge), max_bytes=1000).reason == "too_large"


def test_valid_page_carries_fields_and_kafka_coordinates():
    value = encode_page("https://e.com/a", HINDI, gzip=True, fetched_at="2022-12-30T14:05:00Z",
                        http_status=200, headers={"content-type": "text/html"},
                        crawler="c/1", language="hi")
    page = decode_page(_record(value, offset=9))
    assert isinstance(page, PageEnvelope)
    assert page.html == HINDI
    assert (page.url, page.fetched_at, page.http_status, page.crawler, page.language_hint) == (
        "https://e.com/a", "2022-12-30T14:05:00Z", 200, "c/1", "hi")
    assert page.headers == {"content-type": "text/html"}
    assert (page.topic, page.partition, page.offset, page.key, page.timestamp_ms) == (
        "pages", 1, 9, b"https://e.com/x", 1_672_400_000_000)
    assert page.source_file is None


def test_encode_page_output_validates_and_round_trips():
    validator = Draft202012Validator(PAGE_SCHEMA)
    for packed in (False, True):
        value = encode_page("https://e.com/a", HINDI, gzip=packed, language="hi")
        validator.validate(orjson.loads(value))
        page = decode_page_bytes(value)
        assert isinstance(page, PageEnvelope) and page.html == HINDI and page.topic is None
        assert PageEnvelope.from_dict(orjson.loads(orjson.dumps(page.to_dict()))).html == HINDI
    with pytest.raises(ValueError):
        encode_page("", "x")


def test_every_decode_reason_is_reachable_and_dead_letters_match_their_schema():
    validator = Draft202012Validator(DEAD_LETTER_SCHEMA)
    seen = set()
    samples = [None, b"\xff", b"{", b"[]", b'{"html": "x"}', b'{"url": 1, "html": "x"}',
               orjson.dumps({"url": "u", "html_gzip_b64": "YWJj"}), b'"' + b"x" * 100 + b'"']
    for value in samples:
        result = decode_page(_record(value), max_bytes=50)
        assert isinstance(result, DeadLetter)
        seen.add(result.reason)
        d = orjson.loads(orjson.dumps(result.to_dict()))
        validator.validate(d)
        assert DeadLetter.from_dict(d).original == (value or b"")
    assert seen == set(REASONS)
    # Outside Kafka (no coordinates) the dead letter still validates.
    outside = decode_page_bytes(b"{")
    validator.validate(orjson.loads(orjson.dumps(outside.to_dict())))
