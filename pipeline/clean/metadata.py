"""Page metadata for the clean stage: title, dates, canonical URL, authors, language.

Built on trafilatura's own pieces (OpenGraph/meta tags, JSON-LD, htmldate) but cheaper
than `trafilatura.extract_metadata`: it reads the already parsed tree once, takes the
publication date from JSON-LD `datePublished` / `article:published_time` before asking
htmldate (which then runs with original_date=True), and skips the slow link-scanning
category/tag/license searches.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

_JSON_MINIFY = re.compile(r'("(?:\\.|[^"\\])*")|\s')
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
# Title separators between a headline and the site name ("Headline | Site", "Site - Headline").
_TITLE_SPLIT = re.compile(r"\s+[|–—·•:»«*\-]\s+|\s+[|]\s*|\s*[|]\s+|\s*[｜：]\s*")
_TITLE_SEPARATORS = " |–—·•:»«*｜：-"
_WWW = re.compile(r"^www\d*\.")
_ARTICLE_TYPES = ("article", "posting", "report", "newsarticle", "liveblog")
_META_PUBLISHED = (
    "article:published_time", "og:article:published_time", "article:published",
    "og:published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "published_time", "published-date", "parsely-pub-date", "sailthru.date",
    "dc.date.issued", "dcterms.created", "dc.date", "date", "cxenseparse:recs:publishtime",
)
_MIN_YEAR = 1990


@dataclass(slots=True)
class PageMetadata:
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    description: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    html_lang: str | None = None


def _clean_str(value) -> str | None:
    if not isinstance(value, str):
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


# ---------------------------------------------------------------- dates

def parse_date(value: str | None, not_after: datetime | None = None) -> str | None:
    """Normalise a date string to ISO 8601 (date-time when it has a time), or None if
    it is not a plausible publication date (before 1990 or after `not_after` + 1 day)."""
    value = _clean_str(value)
    if not value:
        return None
    text = value.replace(" ", "T", 1) if _ISO_PREFIX.match(value) and " " in value[:11] else value
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        match = _ISO_PREFIX.match(text)
        if match:
            try:
                parsed = datetime(int(match[1]), int(match[2]), int(match[3]))
                text = match[0]
            except ValueError:
                return None
    if parsed is None or parsed.year < _MIN_YEAR:
        return None
    limit = (not_after or datetime.now(UTC)) + timedelta(days=1)
    aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if limit.tzinfo is None:
        limit = limit.replace(tzinfo=UTC)
    if aware > limit:
        return None
    if len(text) <= 10:
        return parsed.date().isoformat()
    return parsed.isoformat()


def _walk_ld(node, found: list[tuple[int, str]], depth: int = 0) -> None:
    """Collect (priority, datePublished) from JSON-LD; article-like types first."""
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            _walk_ld(item, found, depth + 1)
        return
    if not isinstance(node, dict):
        return
    value = node.get("datePublished")
    if isinstance(value, str):
        types = node.get("@type")
        if isinstance(types, list):
            types = " ".join(t for t in types if isinstance(t, str))
        types = str(types or "")
        priority = 0 if any(t in types.lower() for t in _ARTICLE_TYPES) else 1
        found.append((priority, value))
    for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
        child = node.get(key)
        if isinstance(child, (list, dict)):
            _walk_ld(child, found, depth + 1)


def _meta_published(tree: HtmlElement) -> str | None:
    for elem in tree.iterfind(".//head/meta[@content]"):
        name = (elem.get("property") or elem.get("name") or elem.get("itemprop") or "").lower()
        if name in _META_PUBLISHED:
            return elem.get("content")
    for elem in tree.xpath('.//*[@itemprop="datePublished"][@content or @datetime]'):
        return elem.get("datetime") or elem.get("content")
    return None


def _ld_headline(node, depth: int = 0) -> str | None:
    """The headline of the page's own article object: top level, a list or @graph member,
    never a nested item (a live blog's updates, related articles) whose headline is not
    the page's. trafilatura's walker skips LiveBlogPosting and takes its first update."""
    if depth > 3:
        return None
    if isinstance(node, list):
        for item in node:
            found = _ld_headline(item, depth + 1)
            if found:
                return found
        return None
    if not isinstance(node, dict):
        return None
    types = node.get("@type")
    # trafilatura's rule: a plain "Article" names its full title in "name"
    headline = node.get("name") if types == "Article" else None
    headline = headline if isinstance(headline, str) and headline.strip() else node.get("headline")
    types = " ".join(t for t in types if isinstance(t, str)) if isinstance(types, list) else types
    if isinstance(headline, str) and headline.strip() and isinstance(types, str) and any(
            t in types.lower() for t in _ARTICLE_TYPES):
        return headline
    graph = node.get("@graph")
    return _ld_headline(graph, depth + 1) if isinstance(graph, (list, dict)) else None


@lru_cache(maxsize=1)
def _htmldate():
    from htmldate import find_date

    return find_date


# ---------------------------------------------------------------- title

def _split_title(title: str) -> list[str]:
    return [p.strip() for p in _TITLE_SPLIT.split(title) if p.strip()]


def _similar(a: str, b: str) -> bool:
    na, nb = re.sub(r"\W+", "", a.casefold()), re.sub(r"\W+", "", b.casefold())
    return bool(na and nb) and (na in nb or nb in na)


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """Drop a site-name part from "Headline | Site" / "Site: Headline" style titles."""
    parts = _split_title(title)
    if len(parts) < 2:
        return title
    for site in site_names:
        if not site:
            continue
        if _similar(parts[-1], site) and len(parts[-1]) <= len(site) + 12:
            head = title[: title.rfind(parts[-1])]
            return head.rstrip(_TITLE_SEPARATORS).strip() or title
        if _similar(parts[0], site) and len(parts[0]) <= len(site) + 12:
            tail = title[title.find(parts[0]) + len(parts[0]):]
            return tail.lstrip(_TITLE_SEPARATORS).strip() or title
    # "Headline | Site | by Author": the site name in the middle ends the headline
    site_keys = {_NON_WORD.sub("", s.casefold()) for s in site_names if s}
    start = len(parts[0])
    for part in parts[1:-1]:
        start = title.find(part, start)
        if _NON_WORD.sub("", part.casefold()) in site_keys:
            return title[:start].rstrip(_TITLE_SEPARATORS).strip() or title
        start += len(part)
    return title


_SEPARATOR_START = re.compile(r"^\s*[|｜\-–—:：·•/*]")


def _drop_decorated_copies(cleaned: dict[str, str]) -> dict[str, str]:
    """"Headline | Site | by Author" where another candidate is just "Headline": keep that."""
    values = list(dict.fromkeys(cleaned.values()))
    for source, value in cleaned.items():
        shorter = [v for v in values if v != value and len(v) >= 10 and value.startswith(v)
                   and _SEPARATOR_START.match(value[len(v):])]
        if shorter:
            cleaned[source] = min(shorter, key=len)
    return cleaned


_QUOTES = "\"'“”„‟‘’‚‛«»‹›「」『』"
_QUOTE_CHARS = re.compile("[" + re.escape(_QUOTES) + "]")
_WORDS = re.compile(r"\w+")
_BOUNDARY = re.compile(r"\W")
_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)$")
# "Kicker: Headline", "Kicker - Headline", "Kicker | Headline" (first separator only)
_KICKER = re.compile(r"^(.{2,80}?)(?:\s*[:：]\s+|\s+[|｜\-–—/]\s+)(.+)$")
_MIN_HEADLINE_WORDS = 3
_MIN_HEADLINE_CHARS = 12
_TITLE_ORDER = ("ld", "og", "h1", "title")
# <h1> text often glues a kicker <span> to the headline without a separator, and <title>
# carries section/site parts: only these sources offer alternatives to the first pick ...
_ALTERNATIVE_SOURCES = ("ld", "og", "h1")
# ... and only the two publisher-written headline fields count as "the same headline
# without its kicker or tail" (a bare <h1> mostly lacks a kicker the headline includes).
_AFFIX_SOURCES = ("ld", "og")


def _headline_sized(value: str) -> bool:
    return len(value) >= _MIN_HEADLINE_CHARS and (
        len(value.split()) >= _MIN_HEADLINE_WORDS or len(value) >= 2 * _MIN_HEADLINE_CHARS)


def _affix_of(short: str, long: str) -> bool:
    """`short` is `long` minus a kicker in front ("Topic: Headline", "MSV-Headline") or an
    addition at the end ("Headline - updates", "Headline in battling win"), cut at a word
    boundary."""
    if len(short) >= len(long) or not _headline_sized(short):
        return False
    if long.startswith(short):
        rest = long[len(short):].lstrip()
        # a cut before a quotation is a broken attribute (content="Say "this""), not a title
        return bool(_BOUNDARY.match(long[len(short)])) and not (rest and rest[0] in _QUOTES)
    if long.endswith(short):  # the kicker must end in punctuation ("Topic:", "MSV-", "A |")
        kicker = long[:-len(short)].rstrip()
        return bool(kicker) and not kicker[-1].isalnum()
    return False


def _common_headline(a: str, b: str) -> str | None:
    """Two kicker variants of one headline ("Topic A: Headline", "Topic B - Headline"):
    the headline, when both put unrelated kickers (no word in common) before the first
    separator."""
    match_a, match_b = _KICKER.match(a), _KICKER.match(b)
    if not match_a or not match_b or match_a[2] != match_b[2] or not _headline_sized(match_a[2]):
        return None
    if set(_WORDS.findall(match_a[1].casefold())) & set(_WORDS.findall(match_b[1].casefold())):
        return None
    return match_a[2]


def _unquoted(value: str) -> str:
    return _QUOTE_CHARS.sub("", value)


def _votes(form: str, support: list[str]) -> int:
    """How many raw candidates are `form`, or `form` followed by a separator part."""
    return sum(s == form or (s.startswith(form) and bool(_SEPARATOR_START.match(s[len(form):])))
               for s in support)


def _refine(chosen: str, alternatives: list[str], affix_alternatives: list[str],
            support: list[str]) -> str:
    """Replace the first pick by another candidate that is the same headline, undecorated:
    1. the complete headline when the pick is cut with "…" / "...";
    2. the pick without a kicker or an appended phrase (JSON-LD headline vs og:title);
    3. the shared headline of two candidates with unrelated kickers;
    4. the pick without decorative quotes ('"Quote"… rest' → 'Quote… rest');
    5. the pick's words with the punctuation most raw candidates use ("A: B" vs "A - B")."""
    stem = _ELLIPSIS.sub("", chosen)
    if stem != chosen:
        complete = [o for o in alternatives if len(o) > len(stem) + 1 and o.startswith(stem)
                    and not _ELLIPSIS.search(o)]
        if complete:
            return max(complete, key=len)
    shorter = [o for o in affix_alternatives if _affix_of(o, chosen)]
    if shorter:
        return max(shorter, key=len)
    for other in alternatives:
        common = _common_headline(chosen, other)
        if common:
            return common
    bare = _unquoted(chosen)
    for other in alternatives:
        if other != chosen and _unquoted(other) == bare and len(other) < len(chosen):
            return other
    key = _NON_WORD.sub("", chosen.casefold())
    variants = [o for o in alternatives if o != chosen and _unquoted(o) != bare
                and _NON_WORD.sub("", o.casefold()) == key]
    if variants:
        best = max(variants, key=lambda form: _votes(form, support))
        if _votes(best, support) > _votes(chosen, support):
            return best
    return chosen


def choose_title(candidates: dict[str, str | None], site_names: list[str]) -> str | None:
    """Pick the headline. Order measured on the Fundus set (252 pages, 40 countries):
    JSON-LD headline, og:title, the single <h1>, <title>; each HTML-unescaped, with a
    site-name part stripped, and "Headline | Site | …" reduced to another candidate that
    is exactly "Headline"; the first present is then refined against the others
    (`_refine`: kicker/tail-free, untruncated, unquoted variants)."""
    raw: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    for source, value in candidates.items():
        value = _clean_str(html.unescape(value)) if isinstance(value, str) else None
        if value:
            raw[source] = value
            cleaned[source] = value if source == "h1" else strip_site_suffix(value, site_names)
    cleaned = _drop_decorated_copies(cleaned)
    for source in _TITLE_ORDER:
        if source in cleaned:
            alternatives = [v for s, v in cleaned.items() if s != source and s in _ALTERNATIVE_SOURCES]
            affix = [v for s, v in cleaned.items() if s != source and s in _AFFIX_SOURCES]
            return _refine(cleaned[source], alternatives, affix, list(raw.values()))
    return None


# ---------------------------------------------------------------- URLs

def _registered_part(host: str) -> str:
    """Cheap registrable-domain guess: the last two labels, three under short 2nd-level
    labels such as co.uk / com.au."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-2]) <= 3 and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def normalize_url(url: str | None) -> str | None:
    """courlan normalisation (lower-case host, tracking params such as utm_*, fbclid,
    gclid removed) plus fragment removal; None for anything that is not http(s)."""
    if not url:
        return None
    from courlan.clean import normalize_url as courlan_normalize
    from courlan.clean import scrub_url

    try:
        cleaned = courlan_normalize(scrub_url(url), strict=False)
        parts = urlsplit(cleaned)
    except (ValueError, AttributeError):
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", parts.query, ""))


def choose_canonical(page_url: str, declared: list[str | None]) -> str:
    """The page's own canonical (<link rel=canonical>, og:url) when sane — http(s), same
    site as the fetched URL and not a bare home page for an article URL — else the
    normalised fetched URL."""
    fetched = normalize_url(page_url)
    fetched_parts = urlsplit(fetched) if fetched else None
    for candidate in declared:
        if not candidate:
            continue
        candidate = candidate.strip()
        if candidate.startswith("//"):
            candidate = "https:" + candidate
        elif candidate.startswith("/") and fetched_parts is not None:
            candidate = f"{fetched_parts.scheme}://{fetched_parts.netloc}{candidate}"
        normalized = normalize_url(candidate)
        if not normalized:
            continue
        parts = urlsplit(normalized)
        if fetched_parts is not None:
            same_site = (_registered_part(parts.hostname or "")
                         == _registered_part(fetched_parts.hostname or ""))
            if not same_site:
                continue
            if parts.path in ("", "/") and fetched_parts.path not in ("", "/"):
                continue
        return normalized
    return fetched or page_url


def domain_of(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return _WWW.sub("", host) if host else None


# ---------------------------------------------------------------- main entry

def extract_page_metadata(tree: HtmlElement, url: str, not_after: datetime | None,
                          extensive_date_search: bool = True,
                          author_fallback: bool = True) -> PageMetadata:
    """All metadata of one parsed page (the tree is only read, never modified)."""
    from trafilatura.json_metadata import extract_json, extract_json_parse_error, normalize_json
    from trafilatura.metadata import examine_meta, extract_sitename

    meta = PageMetadata()
    doc = examine_meta(tree)  # OpenGraph first, then <meta name/property/itemprop>
    og_title = doc.title
    if doc.author and " " not in doc.author:
        doc.author = None  # trafilatura's rule: one-word "authors" are mostly site names
    doc.title = None  # let JSON-LD report its own headline
    ld_dates: list[tuple[int, str]] = []
    ld_headline: str | None = None
    for elem in tree.iterfind('.//script[@type="application/ld+json"]'):
        if not elem.text:
            continue
        raw = elem.text.strip()
        try:  # valid JSON first: trafilatura's normalize_json unescapes &quot; into bare quotes
            schema = json.loads(raw, strict=False)
        except json.JSONDecodeError:
            text = normalize_json(_JSON_MINIFY.sub(r"\1", raw))
            try:
                schema = json.loads(text, strict=False)
            except json.JSONDecodeError:
                doc = extract_json_parse_error(text, doc)
                ld_dates.extend((2, m) for m in _LD_DATE.findall(text))
                continue
        try:
            doc = extract_json(schema, doc)
        except Exception as err:  # noqa: BLE001 trafilatura's JSON-LD walker on odd data
            LOGGER.debug("JSON-LD metadata failed: %s", err)
        _walk_ld(schema, ld_dates)
        if ld_headline is None:
            ld_headline = _ld_headline(schema)
    ld_title = ld_headline or doc.title

    # title
    h1s = tree.findall(".//body//h1")
    if len(h1s) > 1:  # several: the one inside the page's single <article>, if any
        h1s = [h for h in h1s if any(a.tag == "article" for a in h.iterancestors())]
    h1 = _clean_str(h1s[0].text_content()) if len(h1s) == 1 else None
    title_elem = tree.find(".//head/title")
    html_title = _clean_str(title_elem.text_content()) if title_elem is not None else None
    site_name = _clean_str(doc.sitename)
    if not site_name and html_title:
        try:
            site_name = _clean_str(extract_sitename(tree))
        except Exception:  # noqa: BLE001
            site_name = None
    if site_name:
        site_name = site_name.lstrip("@")
    host = domain_of(url) or ""
    site_names = [s for s in (site_name, host.split(".")[0] if host else None, host) if s]
    meta.title = choose_title({"ld": ld_title, "og": og_title, "h1": h1, "title": html_title},
                              site_names)
    meta.site_name = site_name

    # date: JSON-LD datePublished, then meta tags, then htmldate (original_date=True)
    published = None
    for _, value in sorted(ld_dates, key=lambda x: x[0]):
        published = parse_date(value, not_after)
        if published:
            break
    if not published:
        published = parse_date(_meta_published(tree), not_after)
    if not published:
        try:
            max_date = (not_after or datetime.now(UTC)).strftime("%Y-%m-%d")
            published = parse_date(_htmldate()(tree, url=url or None, original_date=True,
                                               extensive_search=extensive_date_search,
                                               max_date=max_date), not_after)
        except Exception as err:  # noqa: BLE001 htmldate on odd markup
            LOGGER.debug("htmldate failed: %s", err)
    meta.published_at = published

    # authors
    author = doc.author
    if not author and author_fallback:
        from trafilatura.metadata import extract_author

        try:
            author = extract_author(tree)
        except Exception:  # noqa: BLE001
            author = None
    meta.authors = [a.strip() for a in (author or "").split(";") if a.strip()]

    # canonical URL: <link rel=canonical>, then og:url / twitter:url
    link = tree.find('.//head//link[@rel="canonical"]')
    declared = [link.get("href") if link is not None else None, doc.url]
    meta.canonical_url = choose_canonical(url, declared)

    meta.description = _clean_str(doc.description)
    categories = list(doc.categories or [])
    if not categories:
        categories = [e.get("content") for e in
                      tree.iterfind('.//head/meta[@property="article:section"][@content]')]
    meta.categories = [c for c in dict.fromkeys(_clean_str(c) for c in categories) if c]
    tags: list[str] = []
    for tag_string in doc.tags or []:
        tags.extend(t.strip() for t in tag_string.split(","))
    meta.tags = [t for t in dict.fromkeys(tags) if t]
    lang = tree.get("lang") or tree.get("xml:lang")
    meta.html_lang = lang.split("-")[0].split("_")[0].lower() if lang else None
    return meta
