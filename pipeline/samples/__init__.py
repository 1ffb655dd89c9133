"""Embedded sample news pages for the default (no-Kafka) run, demos and tests.

``pages/`` holds self-written, fictional news articles in 11 languages with realistic site markup
(nav, byline, ``<time>``, og: tags, canonical link, JSON-LD NewsArticle, related links, footer).
Among them, on purpose: a syndicated near-duplicate on another domain, an exact duplicate whose URL
carries ``utm_`` parameters, and a login/consent wall with almost no text, so that deduplication and
rejection paths have something to do.
"""

from __future__ import annotations

import html
import pathlib
import re
from collections.abc import Iterator

__all__ = ["canonical_url", "iter_sample_pages", "sample_pages_dir"]

_CANONICAL = re.compile(
    r"""<link\b(?=[^>]*\brel\s*=\s*["']?canonical["'\s>])[^>]*\bhref\s*=\s*["']([^"']+)["']""",
    re.IGNORECASE,
)


def sample_pages_dir() -> pathlib.Path:
    """The folder holding the sample ``.html`` pages (inside the installed package)."""
    return pathlib.Path(__file__).resolve().with_name("pages")


def canonical_url(page_html: str) -> str | None:
    """The page's ``<link rel="canonical">`` href, HTML entities decoded; None when absent."""
    match = _CANONICAL.search(page_html)
    return html.unescape(match.group(1)).strip() if match else None


def iter_sample_pages() -> Iterator[tuple[str, str]]:
    """(url, html) for every sample page, in file-name order; the url is the canonical link."""
    for path in sorted(sample_pages_dir().glob("*.html")):
        page_html = path.read_text(encoding="utf-8")
        url = canonical_url(page_html)
        if url is None:  # every shipped page has one; keep a stable fallback for hand-added files
            url = f"https://samples.newsbeam.example/{path.name}"
        yield url, page_html
