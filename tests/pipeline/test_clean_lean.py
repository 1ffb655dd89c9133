"""pipeline/clean/lean.py: each lean trafilatura internal gives what the shipped one gives."""

from __future__ import annotations

import dataclasses
import gzip
import importlib

import pytest

from connectors.pages import PageEnvelope
from pipeline.clean import clean, lean


@pytest.fixture(scope="module")
def pages(shared_dir) -> list[tuple[str, str]]:
    """The Zyte pages and the Fundus pages (439 real pages, 17 languages)."""
    out = []
    root = shared_dir / "eval" / "cleaning"
    for path in sorted((root / "zyte" / "html").glob("*.html.gz")):
        out.append((f"https://zyte.example/{path.name}", path))
    for path in sorted((root / "fundus").rglob("*.html.gz")):
        out.append((f"https://fundus.example/{path.parent.name}/{path.name}", path))
    return [(url, gzip.decompress(path.read_bytes()).decode("utf-8", "replace"))
            for url, path in out]


@pytest.fixture(scope="module")
def installed():
    lean.install()
    import trafilatura.core
    import trafilatura.utils

    baseline = importlib.import_module("trafilatura.baseline")
    swapped = [trafilatura.core._prepare_tree, trafilatura.core.prune_unwanted_nodes,
               trafilatura.utils.repair_faulty_html, baseline.BASIC_CLEAN_XPATH]
    assert all(getattr(f, "newsbeam_lean", False) for f in swapped)
    return swapped


def test_clean_equals_clean_with_trafilatura_as_shipped(pages, installed):
    ours = [clean(PageEnvelope(url=url, html=html)) for url, html in pages]
    with lean.shipped():
        import trafilatura.core

        assert not getattr(trafilatura.core.prune_unwanted_nodes, "newsbeam_lean", False)
        shipped = [clean(PageEnvelope(url=url, html=html)) for url, html in pages]
    assert len(pages) > 400
    differ = [url for (url, _), a, b in zip(pages, ours, shipped, strict=True)
              if dataclasses.asdict(a) != dataclasses.asdict(b)]
    assert differ == []


def test_basic_clean_selection_and_page_text_equal_shipped(pages, installed):
    from trafilatura.baseline import baseline, html2txt
    from trafilatura.utils import load_html

    selector = importlib.import_module("trafilatura.baseline").BASIC_CLEAN_XPATH
    trees = [load_html(html) for _, html in pages[:120]]
    for tree in trees:
        body = tree.find(".//body")
        body = tree if body is None else body
        assert selector(body) == selector.__wrapped__(body)
    ours = [html2txt(tree) for tree in trees]
    ours_baseline = [baseline(tree)[1:] for tree in trees[:40]]
    with lean.shipped():
        assert ours == [html2txt(tree) for tree in trees]
        assert ours_baseline == [baseline(tree)[1:] for tree in trees[:40]]


@pytest.mark.parametrize("attrs", [
    'class="cookie-banner"', 'id="CookieNotice"', 'class="x COOKİE_CONSENT y"',  # Turkish İ
    'class="\u212aookie-bar"',  # Kelvin sign: IGNORECASE folds it to k
    'id="onetrust-banner-sdk"', 'class="cookies"', 'class="consent"', 'class="plain"',
])
def test_cookie_banner_selection_matches_exslt(installed, attrs):
    from lxml import html as lxml_html

    selector = importlib.import_module("trafilatura.baseline").BASIC_CLEAN_XPATH
    tree = lxml_html.fromstring(f"<html><body><p>a</p><div {attrs}>banner</div><aside>b</aside>"
                                "<footer>c</footer><div id='footer-x'>d</div></body></html>")
    assert selector(tree) == selector.__wrapped__(tree)


def test_repair_faulty_html_equals_shipped(pages, installed):
    import trafilatura.utils as utils

    samples = [html for _, html in pages[:60]] + [
        "<!DOCTYPE html/>\n<html><body>\x00a\x0bb\ufffe</body></html>",
        '<html lang="en"/>\n<body>x</body>', "<p>plain</p>", "",
    ]
    for html in samples:
        beginning = html[:50].lower()
        assert utils.repair_faulty_html(html, beginning) == \
            utils.repair_faulty_html.__wrapped__(html, beginning)


def test_prune_guards_only_skip_xpaths_that_find_nothing(pages, installed):
    from trafilatura.utils import load_html
    from trafilatura.xpaths import RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH

    skipped = 0
    for nodelist in (RAW_TREE_PRUNE_XPATH, REMOVE_COMMENTS_AND_LISTS_XPATH):
        guards = [lean._guard_of(x.path) for x in nodelist]
        assert all(g is not None for g in guards)
        for _, html in pages:
            tree = load_html(html)
            values = lean._attribute_values(tree, {a for g in guards for a in g.attributes})
            for xpath, guard in zip(nodelist, guards, strict=True):
                if not guard.may_match(values):
                    skipped += 1
                    assert xpath(tree) == []
    assert skipped > 400  # the guards do skip most evaluations


def test_guard_needs_a_predicate_of_plain_terms():
    assert lean._guard_of(".//*[self::div][re:test(@id, 'a|b') or contains(@class, 'c')]")
    assert lean._guard_of(".//*[re:test(@id, 'a') or @hidden]") is None
    assert lean._guard_of(".//div[re:test(@id, 'a')]|.//aside") is None  # union
    assert lean._guard_of(".//*[re:test(@id, 'a.b')]") is None  # could span a newline
    assert lean._guard_of(".//*[not(re:test(@id, 'a'))]") is None
