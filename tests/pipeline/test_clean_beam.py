"""CleanPages in a small Beam pipeline (DirectRunner): articles, duplicates, dead letters."""

from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from connectors.deadletter import DEAD_LETTER_TAG, DeadLetter
from connectors.pages import PageEnvelope
from pipeline.clean import Article, CleanOptions, CleanPages, CleanPipelineOptions

from .test_clean import ARTICLE_HTML

_METRICS = (
    ("newsbeam_articles_cleaned_total", {"language": "en"}),
    ("newsbeam_rejections_total", {"reason": "not_html"}),
    ("newsbeam_duplicates_total", {"kind": "exact"}),
    ("newsbeam_dead_letters_total", {"stage": "clean", "reason": "not_html"}),
    ("newsbeam_stage_latency_seconds_count", {"stage": "clean"}),
)


def _sample(name: str, labels: dict) -> float:
    from prometheus_client import REGISTRY

    import pipeline.metrics  # noqa: F401 — registers the collectors

    return REGISTRY.get_sample_value(name, labels) or 0.0


def _pages() -> list[PageEnvelope]:
    copy_html = ARTICLE_HTML.replace("https://www.example.com/world/trade-pact?utm_source=rss#top",
                                     "https://mirror.example.org/trade-pact")
    return [
        PageEnvelope(url="https://www.example.com/world/trade-pact", html=ARTICLE_HTML,
                     topic="pages", partition=0, offset=1, key=b"k1", timestamp_ms=1000),
        # the same story syndicated on another site: an exact duplicate of the first
        PageEnvelope(url="https://mirror.example.org/trade-pact", html=copy_html,
                     topic="pages", partition=0, offset=2, timestamp_ms=2000),
        PageEnvelope(url="https://example.com/feed.pdf", html="%PDF-1.4 binary junk",
                     topic="pages", partition=0, offset=3, key=b"k3", timestamp_ms=3000),
    ]


def test_clean_pages_outputs_articles_duplicates_and_dead_letters():
    def check_articles(articles: list[Article]) -> None:
        assert len(articles) == 2
        by_offset = {a.offset: a for a in articles}
        original, copy = by_offset[1], by_offset[2]
        assert original.duplicate_of is None and original.language == "en"
        assert copy.duplicate_kind == "exact" and copy.duplicate_of == original.article_id
        assert copy.domain == "mirror.example.org"

    def check_dead_letters(letters: list[DeadLetter]) -> None:
        assert len(letters) == 1
        letter = letters[0]
        assert (letter.stage, letter.reason) == ("clean", "not_html")
        assert letter.original == b"%PDF-1.4 binary junk"
        assert (letter.topic, letter.partition, letter.offset, letter.key) == ("pages", 0, 3, b"k3")
        assert letter.record_timestamp_ms == 3000

    before = {name: _sample(name, labels) for name, labels in _METRICS}
    with TestPipeline(runner="DirectRunner") as p:
        cleaned = (p | beam.Create(_pages(), reshuffle=False)
                   | CleanPages(CleanOptions(min_words=10)))
        assert_that(cleaned.articles, check_articles, label="CheckArticles")
        assert_that(cleaned[DEAD_LETTER_TAG], check_dead_letters, label="CheckDeadLetters")
        assert_that(cleaned.articles | beam.Map(lambda a: a.title),
                    equal_to(["Ministers agree on trade pact"] * 2), label="CheckTitles")
    # the DirectRunner runs the DoFn in this process: the module-level collectors counted
    after = {name: _sample(name, labels) for name, labels in _METRICS}
    assert {k: after[k] - before[k] for k in after} == {
        "newsbeam_articles_cleaned_total": 2, "newsbeam_rejections_total": 1,
        "newsbeam_duplicates_total": 1, "newsbeam_dead_letters_total": 1,
        "newsbeam_stage_latency_seconds_count": 3}


def test_clean_pipeline_options():
    options = PipelineOptions(["--clean_favor=precision", "--clean_min_words=50",
                               "--clean_max_page_bytes=1000", "--clean_timeout_s=2.5",
                               "--clean_author_fallback"])
    clean_options = options.view_as(CleanPipelineOptions).to_clean_options()
    assert clean_options == CleanOptions(favor="precision", min_words=50, max_page_bytes=1000,
                                         timeout_s=2.5, author_fallback=True)
    assert PipelineOptions([]).view_as(CleanPipelineOptions).to_clean_options() == CleanOptions()


def test_clean_pages_validates_arguments():
    with pytest.raises(TypeError):
        CleanPages(options={"min_words": 3})
    with pytest.raises(ValueError):
        CleanPages(dedup_capacity=-1)
    with pytest.raises(ValueError):
        CleanOptions(favor="speed")
