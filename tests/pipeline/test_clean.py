"""clean(): real pages from ../shared, every rejection reason, record round trips."""

from __future__ import annotations

import gzip
import json
import pathlib

import jsonschema
import orjson
import pytest

from connectors.pages import PageEnvelope
from pipeline.clean import (
    REJECTION_REASONS,
    Article,
    CleanOptions,
    Rejection,
    clean,
    detect_language,
)

REPO = pathlib.Path(__file__).resolve().parents[2]
ARTICLE_SCHEMA = json.loads((REPO / "schemas" / "article.schema.json").read_text())
REJECTION_SCHEMA = json.loads((REPO / "schemas" / "rejection.schema.json").read_text())

PARAGRAPH = ("The finance ministers of the two neighbouring countries met on Tuesday in the "
             "capital to discuss a new trade agreement covering steel, grain and energy. ")
ARTICLE_HTML = f"""<!DOCTYPE html><html lang="en"><head>
<title>Ministers agree on trade pact | Example Times</title>
<meta property="og:title" content="Ministers agree on trade pact">
<meta property="og:site_name" content="Example Times">
<meta property="article:published_time" content="2024-03-05T10:15:00+01:00">
<meta property="article:modified_time" content="2024-03-07T08:00:00+01:00">
<meta name="author" content="Jane Doe">
<link rel="canonical" href="https://www.example.com/world/trade-pact?utm_source=rss#top">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Ministers agree on trade pact</h1>
{"".join(f"<p>{PARAGRAPH * 2} Paragraph {i}.</p>" for i in range(6))}
</article><footer>Copyright Example Times</footer></body></html>"""


def page(html: str, url: str = "https://example.com/world/trade-pact?fbclid=abc",
         **kw) -> PageEnvelope:
    return PageEnvelope(url=url, html=html, **kw)


def validate(record: Article | Rejection) -> None:
    schema = ARTICLE_SCHEMA if isinstance(record, Article) else REJECTION_SCHEMA
    jsonschema.validate(orjson.loads(orjson.dumps(record.to_dict())), schema)


def test_synthetic_article_fields():
    result = clean(page(ARTICLE_HTML, fetched_at="2024-03-08T00:00:00Z", topic="pages",
                        partition=2, offset=41, timestamp_ms=1709856000000))
    assert isinstance(result, Article), result
    assert result.title == "Ministers agree on trade pact"
    assert result.canonical_url == "https://www.example.com/world/trade-pact"
    assert result.domain == "example.com"
    assert result.published_at == "2024-03-05T10:15:00+01:00"  # published, not modified
    assert result.authors == ["Jane Doe"]
    assert result.language == "en"
    assert result.site_name == "Example Times"
    assert "finance ministers" in result.text and "Copyright" not in result.text
    assert result.text.count("\n") >= 5  # paragraphs on their own lines
    assert (result.topic, result.partition, result.offset) == ("pages", 2, 41)
    assert result.timestamp_ms == 1709856000000
    assert result.extractor == "trafilatura" and result.extractor_version
    assert result.duplicate_of is None and result.duplicate_kind is None
    assert len(result.simhash) == 16 and len(result.content_hash) == 32
    validate(result)


def test_article_id_is_stable_across_tracking_params():
    a = clean(page(ARTICLE_HTML, url="https://example.com/world/trade-pact?utm_medium=x"))
    b = clean(page(ARTICLE_HTML.replace('<link rel="canonical" href="https://www.example.com/'
                                        'world/trade-pact?utm_source=rss#top">', ""),
                   url="https://www.example.com/world/trade-pact?gclid=1#frag"))
    assert a.article_id == b.article_id
    assert b.canonical_url == "https://www.example.com/world/trade-pact"


def test_insane_canonical_is_ignored():
    html = ARTICLE_HTML.replace("https://www.example.com/world/trade-pact?utm_source=rss#top",
                                "https://www.example.com/")
    result = clean(page(html, url="https://www.example.com/world/trade-pact"))
    assert result.canonical_url == "https://www.example.com/world/trade-pact"


def test_round_trip_through_orjson():
    article = clean(page(ARTICLE_HTML, source_file="x.html"))
    assert Article.from_dict(orjson.loads(orjson.dumps(article.to_dict()))) == article
    rejection = clean(page("just text, no markup"))
    assert Rejection.from_dict(orjson.loads(orjson.dumps(rejection.to_dict()))) == rejection
    validate(rejection)


def test_rejection_not_html():
    for payload in ("plain words only", "%PDF-1.7 binary", '{"json": true}', ""):
        result = clean(page(payload))
        assert isinstance(result, Rejection) and result.reason == "not_html", payload


def test_rejection_too_large():
    result = clean(page(ARTICLE_HTML), CleanOptions(max_page_bytes=1000))
    assert result.reason == "too_large"
    assert result.original_size == len(ARTICLE_HTML.encode("utf-8"))


def test_rejection_nothing_extracted():
    html = "<html><head><title>t</title></head><body><script>var a = 1;</script></body></html>"
    assert clean(page(html)).reason == "nothing_extracted"


def test_rejection_too_little_text():
    html = ("<html><head><title>Short</title></head><body><article>"
            "<p>Only a handful of words here, really very few.</p></article></body></html>")
    result = clean(page(html), CleanOptions(min_words=20))
    assert result.reason == "too_little_text", result


def test_rejection_parser_error_never_raises():
    # a malformed envelope (fetched_at of the wrong type) must not escape as an exception
    result = clean(page(ARTICLE_HTML, fetched_at=12345))
    assert isinstance(result, Rejection) and result.reason == "parser_error"
    assert "TypeError" in result.detail
    validate(result)


def test_rejection_timeout():
    big = ARTICLE_HTML.replace("</article>", "<p>more words</p>" * 20000 + "</article>")
    result = clean(page(big), CleanOptions(timeout_s=0.001))
    assert result.reason == "timeout", result
    # the budget is cancelled afterwards: a normal page still works
    assert isinstance(clean(page(ARTICLE_HTML)), Article)


def test_every_reason_is_covered():
    assert set(REJECTION_REASONS) == {"not_html", "too_large", "nothing_extracted",
                                      "too_little_text", "parser_error", "timeout"}


def test_language_detector_is_offline_lite_model():
    from pipeline.clean.core import _language_detector

    assert detect_language("यह एक परीक्षण वाक्य है जो हिंदी में लिखा गया है।") == "hi"
    assert detect_language("") == "und"
    assert detect_language("", ("de",)) == "de"
    assert set(_language_detector()._models) == {"low_memory"}  # never the downloaded model


def test_cjk_word_count():
    from pipeline.dedup import normalized_tokens

    assert len(normalized_tokens("東京新聞 デジタル news")) == 9
    assert normalized_tokens("समस्तीपुर पुलिस") == ["समस्तीपुर", "पुलिस"]


# ------------------------------------------------------------------ real pages in ../shared

def test_hindi_sample(shared_dir):
    html = (shared_dir / "samples" / "putin-xi-hi.html").read_text(encoding="utf-8")
    result = clean(PageEnvelope(url="https://news.example.in/world/putin-xi", html=html,
                                fetched_at="2023-01-02T00:00:00Z"))
    assert isinstance(result, Article), result
    assert "पुतिन ने शी जिनपिंग से की बात" in result.title
    assert result.language == "hi"
    assert result.published_at[:10] in ("2022-12-30", "2022-12-31")
    assert "सैन्य सहयोग बढ़ाने के इच्छुक हैं" in result.text
    assert result.word_count > 300  # Devanagari words kept whole
    validate(result)


def _fundus(shared_dir, key):
    root = shared_dir / "eval" / "cleaning" / "fundus"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))[key]
    html = gzip.decompress((root / key).read_bytes()).decode("utf-8")
    return truth, clean(PageEnvelope(url=truth["url"], html=html))


@pytest.mark.parametrize("key,language", [
    ("at/ORF_2024_11_22.html.gz", "de"),
    ("ind/Bhaskar_2024_09_04.html.gz", "hi"),
    ("jp/AsahiShimbun_2025_01_13.html.gz", "ja"),
])
def test_fundus_pages(shared_dir, key, language):
    truth, result = _fundus(shared_dir, key)
    assert isinstance(result, Article), result
    assert result.language == language
    assert result.published_at[:10] == truth["publishing_date"][:10]
    longest_paragraph = max(truth["body"].split("\n"), key=len)
    assert longest_paragraph[:40] in result.text
    validate(result)


def test_zyte_page(shared_dir):
    root = shared_dir / "eval" / "cleaning" / "zyte"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    page_id = min(truth)
    html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
    result = clean(PageEnvelope(url=truth[page_id]["url"], html=html))
    assert isinstance(result, Article)
    gold_words = set(truth[page_id]["articleBody"].split())
    ours = set(result.text.split())
    assert len(gold_words & ours) / len(gold_words) > 0.8


@pytest.mark.parametrize("fallbacks", [False, True])
def test_direct_extraction_equals_bare_extraction(shared_dir, fallbacks):
    """_extract_text skips bare_extraction's tree copy and uses the lean trafilatura
    internals (pipeline/clean/lean.py); it must give the text of trafilatura as shipped."""
    import dataclasses

    from trafilatura import bare_extraction
    from trafilatura.utils import load_html

    from pipeline.clean import lean
    from pipeline.clean.core import DEFAULT_OPTIONS, _extract_text, _extractor

    root = shared_dir / "eval" / "cleaning" / "zyte" / "html"
    extractor = _extractor(dataclasses.replace(DEFAULT_OPTIONS, fast=not fallbacks))
    pages = [gzip.decompress(p.read_bytes()).decode("utf-8")
             for p in sorted(root.glob("*.html.gz"))[:15]]
    lean.install()
    ours = [_extract_text(load_html(html), extractor) for html in pages]
    with lean.shipped():
        expected = [bare_extraction(html, options=extractor) for html in pages]
    assert ours == [(e.text if e else "") for e in expected]


def test_time_budget_keeps_an_outer_alarm():
    import signal

    from pipeline.clean.core import _time_budget

    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers here")
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)
        with _time_budget(5.0):
            pass
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 25.0 < remaining <= 30.0  # the host's timer was re-armed, not cancelled
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired


def test_page_without_any_url_gets_a_content_id():
    html = ARTICLE_HTML.replace('<link rel="canonical" href="https://www.example.com/world/'
                                'trade-pact?utm_source=rss#top">', "")
    result = clean(page(html, url=""))
    assert result.canonical_url == f"urn:newsbeam:content:{result.content_hash}"
    assert result.domain is None
    validate(result)
