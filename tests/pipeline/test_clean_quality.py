"""Quality floor over a fixed subset of the Zyte and Fundus sets, so extraction quality
cannot regress silently (like trafilatura's tests/eval_gate.py). The full numbers come
from benchmarks/bench_clean.py; floors sit a little below what was measured there.

Measured 2026-11-26 (trafilatura 2.3.1): first 40 Zyte pages F1 0.962; 60 Fundus pages
spread over all countries: body F1 0.940 (regex tokens), title exact 0.933 (whitespace-
normalised; headline refinement rules in metadata.choose_title), day 0.967.
"""

from __future__ import annotations

import gzip
import importlib.util
import json

import pytest

from connectors.pages import PageEnvelope
from pipeline.clean import Article, clean

ZYTE_PAGES, ZYTE_FLOOR = 40, 0.94
FUNDUS_PAGES, FUNDUS_FLOOR = 60, 0.92
FUNDUS_TITLE_FLOOR, FUNDUS_DATE_FLOOR = 0.90, 0.93


def _scorer(shared_dir, regex_tokens: bool):
    path = shared_dir / "eval" / "cleaning" / "score_body.py"
    if not path.exists():
        pytest.skip("score_body.py not in ../shared")
    spec = importlib.util.spec_from_file_location(f"score_body_{regex_tokens}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if regex_tokens:
        import regex

        module.TOKEN = regex.compile(r"\w+")
    return module


def _f1(rows) -> float:
    ps = [p for p, _ in rows if p is not None]
    rs = [r for _, r in rows if r is not None]
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return 2 * p * r / (p + r)


@pytest.mark.timeout(120)
def test_zyte_body_f1_floor(shared_dir):
    scorer = _scorer(shared_dir, regex_tokens=False)
    root = shared_dir / "eval" / "cleaning" / "zyte"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    rows = []
    for page_id in sorted(truth)[:ZYTE_PAGES]:
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        result = clean(PageEnvelope(url=truth[page_id]["url"], html=html))
        text = result.text if isinstance(result, Article) else ""
        rows.append(scorer.page_scores(truth[page_id]["articleBody"], text))
    f1 = _f1(rows)
    assert f1 >= ZYTE_FLOOR, f"Zyte F1 {f1:.4f} on {ZYTE_PAGES} pages fell below {ZYTE_FLOOR}"


@pytest.mark.timeout(120)
def test_fundus_body_title_date_floor(shared_dir):
    scorer = _scorer(shared_dir, regex_tokens=True)
    root = shared_dir / "eval" / "cleaning" / "fundus"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[::max(1, len(truth) // FUNDUS_PAGES)][:FUNDUS_PAGES]  # all countries
    rows, titles, dates = [], [], []
    for key in keys:
        item = truth[key]
        html = gzip.decompress((root / key).read_bytes()).decode("utf-8", "replace")
        result = clean(PageEnvelope(url=item["url"], html=html))
        article = result if isinstance(result, Article) else None
        rows.append(scorer.page_scores(item["body"], article.text if article else ""))
        titles.append(bool(article) and " ".join(article.title.split()) == " ".join(
            item["title"].split()))
        if item.get("publishing_date") not in (None, "None"):
            dates.append(bool(article and article.published_at)
                         and article.published_at[:10] == item["publishing_date"][:10])
    f1 = _f1(rows)
    title_rate, date_rate = sum(titles) / len(titles), sum(dates) / len(dates)
    assert f1 >= FUNDUS_FLOOR, f"Fundus F1 {f1:.4f} below {FUNDUS_FLOOR}"
    assert title_rate >= FUNDUS_TITLE_FLOOR, f"title match {title_rate:.3f}"
    assert date_rate >= FUNDUS_DATE_FLOOR, f"date match {date_rate:.3f}"
