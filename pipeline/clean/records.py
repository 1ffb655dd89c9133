"""Records of the clean stage: an Article (schemas/article.schema.json) or a Rejection
(schemas/rejection.schema.json). Both round-trip through orjson via to_dict/from_dict."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

# Why a page was not turned into an article (the Rejection.reason and dead-letter reason).
REJECTION_REASONS = (
    "not_html",          # the payload is not an HTML document
    "too_large",         # bigger than CleanOptions.max_page_bytes
    "nothing_extracted",  # trafilatura found no main text
    "too_little_text",   # fewer words than CleanOptions.min_words
    "parser_error",      # the HTML could not be parsed, or extraction raised
    "timeout",           # extraction exceeded CleanOptions.timeout_s
)

DUPLICATE_KINDS = ("exact", "near")


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned news article: main text plus metadata, traceable to its Kafka message."""

    article_id: str                  # blake2b-128 hex of canonical_url: stable across re-fetches
    url: str                         # the URL the page was fetched from
    canonical_url: str               # normalised URL (tracking params and fragment stripped)
    domain: str | None               # host of canonical_url without "www."
    title: str | None
    text: str                        # main body, paragraphs separated by "\n"
    language: str                    # ISO 639-1 (fastText lid.176 label), "und" when unknown
    word_count: int                  # regex \w+ words; CJK ideographs/kana count one each
    content_hash: str                # blake2b-128 hex of the normalised text (exact duplicates)
    simhash: str                     # 64-bit SimHash of the text, 16 hex digits (near duplicates)
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None  # ISO 8601 publication date (date or date-time with offset)
    site_name: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    duplicate_of: str | None = None  # article_id of the first copy seen, when a duplicate
    duplicate_kind: str | None = None  # "exact" | "near" | None
    fetched_at: str | None = None
    extractor: str = "trafilatura"
    extractor_version: str = ""
    source_file: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None

    def to_dict(self) -> dict:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), (list, tuple)) else v)
                for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict) -> Article:
        names = {f.name for f in fields(cls)}
        values = {k: v for k, v in d.items() if k in names}
        for key in ("authors", "categories", "tags"):
            values[key] = list(values.get(key) or [])
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Rejection:
    """A page that cleaning could not turn into an article, and why."""

    reason: str                # one of REJECTION_REASONS
    detail: str                # human-readable explanation
    url: str | None = None
    original_size: int = 0     # size of the page's HTML in UTF-8 bytes
    fetched_at: str | None = None
    source_file: str | None = None
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    timestamp_ms: int | None = None

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict) -> Rejection:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})
