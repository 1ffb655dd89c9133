"""Headline selection rules of the clean stage (`pipeline.clean.metadata.choose_title`),
each on a hand-written page: JSON-LD headline, og:title, <h1>, <title> disagree in ways
real publishers make them disagree."""

from __future__ import annotations

import json

import pytest
from trafilatura.utils import load_html

from pipeline.clean.metadata import choose_title, extract_page_metadata, strip_site_suffix

URL = "https://www.example-news.com/politics/story-123"


def _page(*, ld: str | None = None, og: str | None = None, h1: str | None = None,
          title: str | None = None, site: str | None = None) -> str:
    head = []
    if title is not None:
        head.append(f"<title>{title}</title>")
    if og is not None:
        head.append(f'<meta property="og:title" content="{og}">')
    if site is not None:
        head.append(f'<meta property="og:site_name" content="{site}">')
    if ld is not None:
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": ld}
        head.append(f'<script type="application/ld+json">{json.dumps(data)}</script>')
    body = f"<article><h1>{h1}</h1><p>Body text.</p></article>" if h1 is not None else "<p>x</p>"
    return f"<html><head>{''.join(head)}</head><body>{body}</body></html>"


def _title(html: str, url: str = URL) -> str | None:
    return extract_page_metadata(load_html(html), url, None, extensive_date_search=False,
                                 author_fallback=False).title


def test_kicker_prefix_dropped_when_og_title_is_the_bare_headline():
    html = _page(ld="Neue Leipziger Schule: Judy Lybke, ganz und gar nicht eigenartig",
                 og="Judy Lybke, ganz und gar nicht eigenartig",
                 h1="Neue Leipziger Schule: Judy Lybke, ganz und gar nicht eigenartig")
    assert _title(html) == "Judy Lybke, ganz und gar nicht eigenartig"


def test_glued_kicker_dropped_at_a_word_boundary():
    html = _page(ld='MSV-Interimstrainer Schubert: "Nicht mehr viel zu verlieren"',
                 og="Interimstrainer Schubert: &quot;Nicht mehr viel zu verlieren&quot;")
    assert _title(html) == 'Interimstrainer Schubert: "Nicht mehr viel zu verlieren"'


def test_appended_phrase_dropped_when_og_title_is_the_short_headline():
    html = _page(ld="Chelsea send clear message of intent at Cobham in battling win over Spurs",
                 og="Chelsea send clear message of intent at Cobham")
    assert _title(html) == "Chelsea send clear message of intent at Cobham"


def test_no_cut_inside_a_word_or_before_a_quotation():
    # "Tax rise" + "s" is not a word boundary; a cut before a quote is a broken attribute
    assert choose_title({"ld": "Tax rises hit families hard", "og": "Tax rise"}, []) \
        == "Tax rises hit families hard"
    # a leading word without punctuation is part of the sentence, not a kicker
    assert choose_title({"ld": "A woman who lost 130 pounds shares seven changes",
                         "og": "woman who lost 130 pounds shares seven changes"}, []) \
        == "A woman who lost 130 pounds shares seven changes"
    assert choose_title({"ld": 'Marathon 2024: Winner and "royal visit"',
                         "og": "Marathon 2024: Winner and"}, []) \
        == 'Marathon 2024: Winner and "royal visit"'


def test_h1_without_its_kicker_does_not_shorten_the_headline():
    # the <h1> often holds the headline while the kicker sits in a sibling element
    html = _page(ld="Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden",
                 h1="Trump-Anwältin soll Justizministerin werden")
    assert _title(html) == "Nach Gaetz-Rückzug: Trump-Anwältin soll Justizministerin werden"


def test_too_short_remainder_is_not_a_headline():
    assert choose_title({"ld": "Ukraine war: Live", "og": "Live"}, []) == "Ukraine war: Live"


def test_two_unrelated_kickers_leave_the_shared_headline():
    html = _page(ld="Iranischer Angriff auf Israel: «Zurückhaltung hat viel mit den USA zu tun»",
                 og="Iranischer Angriff auf Israel: «Zurückhaltung hat viel mit den USA zu tun»",
                 h1="Eskalation im Nahen Osten - «Zurückhaltung hat viel mit den USA zu tun»")
    assert _title(html) == "«Zurückhaltung hat viel mit den USA zu tun»"


def test_related_kickers_are_not_cut():
    # an <h1> gluing "Premier League" to the kicker shares words with it: keep the kicker
    html = _page(ld="Rückschlag im Titelkampf - Liverpool verliert bei Everton",
                 h1="Premier League Rückschlag im Titelkampf - Liverpool verliert bei Everton")
    assert _title(html) == "Rückschlag im Titelkampf - Liverpool verliert bei Everton"


def test_decorative_quotes_around_a_kicker_dropped():
    html = _page(ld="&quot;Pink hair sparks ridicule&quot;… experts explain the mystery colour",
                 og="Pink hair sparks ridicule… experts explain the mystery colour")
    assert _title(html) == "Pink hair sparks ridicule… experts explain the mystery colour"


def test_separator_variant_most_candidates_use():
    html = _page(ld="Rückbau von Atomkraftwerk - Kühltürme von AKW Gundremmingen gesprengt",
                 og="Rückbau von Atomkraftwerk: Kühltürme von AKW Gundremmingen gesprengt",
                 title="Rückbau von Atomkraftwerk: Kühltürme von AKW Gundremmingen gesprengt"
                       " - Politik")
    assert _title(html) == "Rückbau von Atomkraftwerk: Kühltürme von AKW Gundremmingen gesprengt"


def test_truncated_headline_completed_from_another_candidate():
    html = _page(ld="Who is the new coach and what does he plan for the…",
                 og="Who is the new coach and what does he plan for the season?")
    assert _title(html) == "Who is the new coach and what does he plan for the season?"
    # an ellipsis that is part of the headline itself stays
    assert choose_title({"ld": "Who is she and how many children do they have?...",
                         "h1": "Who is she and how many children do they have?"}, []) \
        == "Who is she and how many children do they have?..."


def test_site_name_in_the_middle_ends_the_headline():
    html = _page(og="Roommate agrees to interview with defense | The Daily Example | by Jane Roe",
                 title="Roommate agrees to interview with defense | The Daily Example | by Jane Roe",
                 site="Where Hope Made a Comeback")
    assert _title(html, "https://www.thedailyexample.com/2024/04/x/") \
        == "Roommate agrees to interview with defense"


@pytest.mark.parametrize(("title", "expected"), [
    ("Headline of the day | Example News", "Headline of the day"),
    ("Example News - Headline of the day", "Headline of the day"),
    ("Headline of the day ｜ Example News", "Headline of the day"),
    ("Headline of the day | Example News | by Jane Roe", "Headline of the day"),
    ("Headline | with a bar | inside", "Headline | with a bar | inside"),
])
def test_strip_site_suffix_positions(title, expected):
    assert strip_site_suffix(title, ["Example News", "example-news", "example-news.com"]) == expected


def test_plain_agreement_is_kept():
    html = _page(ld="Ministers agree on trade pact", og="Ministers agree on trade pact",
                 h1="Ministers agree on trade pact", title="Ministers agree on trade pact | EN")
    assert _title(html) == "Ministers agree on trade pact"


def _ld_page(data) -> str:
    return (f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
            "<body><p>Body text.</p></body></html>")


def test_live_blog_headline_not_its_first_update():
    data = {"@context": "https://schema.org", "@type": "LiveBlogPosting",
            "headline": "UK riots LIVE: Plymouth stand-off as three officers injured",
            "liveBlogUpdate": [{"@type": "BlogPosting", "headline": "Loud bang heard at scene"},
                               {"@type": "BlogPosting", "headline": "Bus routes changed"}]}
    assert _title(_ld_page(data)) == "UK riots LIVE: Plymouth stand-off as three officers injured"


def test_graph_article_headline_not_a_related_item():
    data = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "name": "Politics | Example News"},
        {"@type": ["NewsArticle"], "headline": "Parliament passes the budget after long night",
         "isPartOf": {"@type": "CreativeWork", "headline": "Budget week"}},
        {"@type": "NewsArticle", "headline": "Another story linked from the page"}]}
    assert _title(_ld_page(data)) == "Parliament passes the budget after long night"


def test_plain_article_type_uses_its_full_name():
    data = {"@context": "https://schema.org", "@type": "Article",
            "name": "OL i Paris 2024: Tårene rant for stavhopper Lene Retzius",
            "headline": "Tårene rant for norsk OL-håp"}
    assert _title(_ld_page(data)) == "OL i Paris 2024: Tårene rant for stavhopper Lene Retzius"
