"""The real Hindi seed article (../shared/seed): the events the issue requires."""

from __future__ import annotations

import pytest

from benchmarks.bench_events import score_gold
from pipeline.events import extract_events_from_text


@pytest.fixture(scope="module")
def seed_events(shared_dir):
    path = shared_dir / "seed" / "putin-xi-hi.txt"
    if not path.is_file():
        pytest.skip("seed article missing")
    text = path.read_text(encoding="utf-8")
    return extract_events_from_text(text, "2022-12-31")  # language detected: Hindi


def _find(events, a1, a2, prefix):
    return [
        e
        for e in events
        if e.actor1
        and e.actor1.code == a1
        and (e.actor2.code if e.actor2 else None) == a2
        and e.action.cameo.startswith(prefix)
    ]


def test_language_detected(seed_events):
    assert seed_events and {e.language for e in seed_events} == {"hi"}


def test_the_video_call_is_coded_and_dated(seed_events):
    calls = _find(seed_events, "RUSGOV", "CHNGOV", "04")
    assert calls, "the Putin-Xi video call (04)"
    assert calls[0].event_date == "2022-12-30"


def test_stated_intention_of_military_cooperation(seed_events):
    intents = _find(seed_events, "RUSGOV", "CHNGOV", "0312")
    assert intents and intents[0].event_date == "2022-12-30"
    assert intents[0].modality == "intended"


def test_praise(seed_events):
    assert any(
        e.action.cameo.startswith("051")
        and e.actor1.code.startswith("RUS")
        and e.actor2 is not None
        and e.actor2.code.startswith("CHN")
        for e in seed_events
    )


def test_china_buys_russian_oil(seed_events):
    assert _find(seed_events, "CHN", "RUS", "06")


def test_eu_sanctions_on_russia(seed_events):
    assert _find(seed_events, "IGOEUREEC", "RUS", "16")


def test_seed_passages_score(shared_dir):
    events_dir = shared_dir / "eval" / "events"
    results, _, _ = score_gold(events_dir, "seed.jsonl")
    assert results["all"]["f1"] >= 0.80, results["all"]
