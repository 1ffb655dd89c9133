"""Beam side of the clean stage: `CleanPages` (PageEnvelope -> Article | DeadLetter).

The DoFn is thin: it calls the pure `clean()`, flags duplicates with one DuplicateIndex
per DoFn instance (created in setup), counts metrics and routes Rejections to the
dead-letter output. Prometheus collectors are read from `pipeline.metrics` at call time
(a pickled copy would export nothing).
"""

from __future__ import annotations

import time

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

from connectors.deadletter import DEAD_LETTER_TAG, make_dead_letter
from pipeline.clean.core import FAVOR_CHOICES, CleanOptions, clean
from pipeline.clean.records import Rejection
from pipeline.dedup import flag_duplicate

ARTICLES_TAG = "articles"
_NAMESPACE = "newsbeam.clean"
_DEFAULTS = CleanOptions()


class CleanPipelineOptions(PipelineOptions):
    """`--clean_*` pipeline options; `to_clean_options()` gives the CleanOptions."""

    @classmethod
    def _add_argparse_args(cls, parser) -> None:
        parser.add_argument("--clean_favor", default=_DEFAULTS.favor, choices=FAVOR_CHOICES,
                            help="trafilatura focus: balanced, precision or recall")
        parser.add_argument("--clean_max_page_bytes", type=int, default=_DEFAULTS.max_page_bytes,
                            help="reject pages with more HTML bytes than this (too_large)")
        parser.add_argument("--clean_min_words", type=int, default=_DEFAULTS.min_words,
                            help="reject articles with fewer words (too_little_text)")
        parser.add_argument("--clean_timeout_s", type=float, default=_DEFAULTS.timeout_s,
                            help="per-page extraction budget in seconds, 0 disables (timeout)")
        parser.add_argument("--clean_min_extracted_size", type=int,
                            default=_DEFAULTS.min_extracted_size,
                            help="trafilatura: below this many characters try fallbacks")
        parser.add_argument("--clean_fallbacks", action="store_true",
                            help="also run trafilatura's readability/justext fallbacks "
                                 "(+0.7 pt Fundus body F1, -0.2 pt Zyte, ~35 %% slower)")
        parser.add_argument("--clean_extensive_dates", action="store_true",
                            help="let htmldate scan the page text when markup has no date "
                                 "(~12 ms more on such pages)")
        parser.add_argument("--clean_author_fallback", action="store_true",
                            help="search the page body for a byline when metadata has none "
                                 "(~4 ms more on such pages)")
        parser.add_argument("--clean_dedup_capacity", type=int, default=100_000,
                            help="articles remembered per worker for duplicate flagging")
        parser.add_argument("--clean_near_distance", type=int, default=6,
                            help="max SimHash Hamming distance of a near duplicate")

    def to_clean_options(self) -> CleanOptions:
        return CleanOptions(favor=self.clean_favor, max_page_bytes=self.clean_max_page_bytes,
                            min_words=self.clean_min_words, timeout_s=self.clean_timeout_s,
                            min_extracted_size=self.clean_min_extracted_size,
                            extensive_date_search=self.clean_extensive_dates,
                            author_fallback=self.clean_author_fallback,
                            fast=not self.clean_fallbacks)


class _CleanFn(beam.DoFn):
    """PageEnvelope -> Article (main) | DeadLetter (DEAD_LETTER_TAG)."""

    def __init__(self, options: CleanOptions, dedup_capacity: int, near_distance: int,
                 worker_exporter: tuple[str, int] | None = None) -> None:
        self._options = options
        self._dedup_capacity = dedup_capacity
        self._near_distance = near_distance
        self._worker_exporter = worker_exporter
        self._index = None

    def setup(self) -> None:
        from pipeline.dedup import DuplicateIndex
        from pipeline.metrics import beam_counter, start_worker_exporter

        if self._worker_exporter:  # every job cleans: one place starts a worker's exporter
            start_worker_exporter(*self._worker_exporter)

        self._index = (DuplicateIndex(self._dedup_capacity, self._near_distance)
                       if self._dedup_capacity > 0 else None)
        self._articles = beam_counter(_NAMESPACE, "articles")
        self._rejections = beam_counter(_NAMESPACE, "rejections")
        self._duplicates = beam_counter(_NAMESPACE, "duplicates")

    def process(self, page):
        from pipeline import metrics

        started = time.perf_counter()
        result = clean(page, self._options)
        if isinstance(result, Rejection):
            metrics.STAGE_LATENCY.labels(stage="clean").observe(time.perf_counter() - started)
            metrics.REJECTIONS.labels(reason=result.reason).inc()
            metrics.DEAD_LETTERS.labels(stage="clean", reason=result.reason).inc()
            self._rejections.inc()
            html = page.html if isinstance(page.html, str) else ""
            yield beam.pvalue.TaggedOutput(DEAD_LETTER_TAG, make_dead_letter(
                "clean", result.reason, result.detail, html.encode("utf-8", "replace"), page))
            return
        result = flag_duplicate(self._index, result)
        metrics.STAGE_LATENCY.labels(stage="clean").observe(time.perf_counter() - started)
        metrics.ARTICLES_CLEANED.labels(language=result.language).inc()
        self._articles.inc()
        if result.duplicate_kind:
            metrics.DUPLICATES.labels(kind=result.duplicate_kind).inc()
            self._duplicates.inc()
        yield result


class CleanPages(beam.PTransform):
    """PCollection[PageEnvelope] -> outputs `articles` (Article) and DEAD_LETTER_TAG
    (DeadLetter, stage "clean", reason = Rejection.reason, original = the page's HTML).

        cleaned = pages | CleanPages(options=CleanOptions(min_words=50))
        cleaned.articles, cleaned[DEAD_LETTER_TAG]
    """

    def __init__(self, options: CleanOptions | None = None, *, dedup_capacity: int = 100_000,
                 near_distance: int = 6, worker_exporter: tuple[str, int] | None = None,
                 label: str | None = None) -> None:
        super().__init__(label)
        if options is not None and not isinstance(options, CleanOptions):
            raise TypeError(f"options must be CleanOptions, not {type(options).__name__}")
        if dedup_capacity < 0:
            raise ValueError("dedup_capacity must be >= 0 (0 disables duplicate flagging)")
        if not 0 <= near_distance <= 15:
            raise ValueError("near_distance must be within 0..15")
        if worker_exporter is not None and not (
                len(worker_exporter) == 2 and 0 <= int(worker_exporter[1]) <= 65535):
            raise ValueError("worker_exporter must be (address, port)")
        self._options = options or CleanOptions()
        self._dedup_capacity = dedup_capacity
        self._near_distance = near_distance
        self._worker_exporter = worker_exporter

    def expand(self, pages):
        return pages | "CleanPage" >> beam.ParDo(
            _CleanFn(self._options, self._dedup_capacity, self._near_distance,
                     self._worker_exporter)
        ).with_outputs(DEAD_LETTER_TAG, main=ARTICLES_TAG)


def clean_pages_from_options(options: PipelineOptions, label: str | None = None, *,
                             worker_exporter: tuple[str, int] | None = None) -> CleanPages:
    """CleanPages configured from the --clean_* flags (incl. dedup capacity and distance)."""
    view = options.view_as(CleanPipelineOptions)
    return CleanPages(view.to_clean_options(), dedup_capacity=view.clean_dedup_capacity,
                      worker_exporter=worker_exporter,
                      near_distance=view.clean_near_distance, label=label)
