"""Embedded sample pages: parseable, canonical URLs, enough languages, the planned special cases."""

from __future__ import annotations

import json
import re
import urllib.parse

import lxml.html
import pytest

from pipeline.samples import canonical_url, iter_sample_pages, sample_pages_dir

PAGES = list(iter_sample_pages())


def _doc(page_html: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(page_html.encode("utf-8"))


def _body(page_html: str) -> str:
    return " ".join(_doc(page_html).xpath("//article//p//text()"))


def test_pages_exist_and_folder_is_small() -> None:
    files = list(sample_pages_dir().glob("*.html"))
    assert 12 <= len(files) <= 16
    assert len(PAGES) == len(files)
    assert sum(f.stat().st_size for f in sample_pages_dir().iterdir()) < 400 * 1024


@pytest.mark.parametrize(
    ("url", "page_html"), PAGES, ids=[u.rsplit("/", 1)[-1][:40] for u, _ in PAGES]
)
def test_every_page_parses_with_canonical_url(url: str, page_html: str) -> None:
    doc = _doc(page_html)
    assert doc.get("lang")
    parsed = urllib.parse.urlsplit(url)
    assert parsed.scheme == "https" and parsed.netloc.endswith(".example")
    assert doc.xpath("//link[@rel='canonical']/@href") == [url]
    assert doc.xpath("//title/text()")


def test_at_least_eight_languages() -> None:
    langs = {_doc(h).get("lang") for _, h in PAGES}
    assert len(langs) >= 8
    assert {"en", "hi", "es", "fr", "de", "ru", "ar", "zh"} <= langs


def test_articles_have_news_markup() -> None:
    articles = [(u, h) for u, h in PAGES if "/account/" not in u]
    assert len(articles) >= 12
    for url, page_html in articles:
        doc = _doc(page_html)
        assert len(doc.xpath("//h1")) == 1, url
        assert doc.xpath("//time/@datetime"), url
        assert doc.xpath("//meta[@property='og:title']/@content"), url
        ld = json.loads(doc.xpath("//script[@type='application/ld+json']/text()")[0])
        assert ld["@type"] == "NewsArticle" and ld["datePublished"][:4] in {"2025", "2026"}, url
        text = " ".join(doc.xpath("//article//p//text()"))
        words = len(re.findall(r"\w+", text))
        assert words >= 250 or len(text) >= 800, url  # CJK has no spaces: count characters


def test_duplicates_and_rejection_cases_are_present() -> None:
    urls = [u for u, _ in PAGES]
    utm = [u for u in urls if "utm_source=" in u]
    assert len(utm) == 1
    clean = utm[0].split("?", 1)[0]
    assert clean in urls  # the same article without tracking parameters
    by_url = dict(PAGES)
    assert _body(by_url[clean]) == _body(by_url[utm[0]])
    hosts = {urllib.parse.urlsplit(u).netloc for u in urls}
    assert len(hosts) >= 10
    login = [h for u, h in PAGES if "/account/login" in u]
    assert len(login) == 1 and not _doc(login[0]).xpath("//article")


def test_canonical_url_helper() -> None:
    assert (
        canonical_url('<link href="https://a.example/x?a=1&amp;b=2" rel="canonical">')
        == "https://a.example/x?a=1&b=2"
    )
    assert canonical_url("<html></html>") is None
