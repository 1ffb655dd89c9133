"""Leaner equivalents of four trafilatura 2.3.1 internals that clean() pays for on every page.

Each replacement returns exactly what the shipped function returns (tests compare them on
the Zyte and Fundus pages, with `shipped()` restoring the originals) and falls back to the
original whenever its fast path does not apply. Measured on the 439 benchmark pages:

* `_prepare_tree`: in fast mode without comments trafilatura copies the cleaned tree as a
  backup that nothing reads afterwards (3.5 % of clean()).
* `repair_faulty_html`: a regex scan of the whole page for XML-invalid control characters
  (0.8 ms on a 260 kB page); 29 `str.find`s answer "none here" in 0.3 ms.
* `BASIC_CLEAN_XPATH`, the boilerplate selector of `html2txt` and `baseline`: html2txt's page
  length decides trafilatura's recall escalation on a third of the pages (5.2 ms a call,
  3 ms of it in this XPath, whose EXSLT `re:test` calls back into Python for every element
  with a class or id). Same elements, same order, from two plain XPaths and one regex.
* `prune_unwanted_nodes` on the raw tree: its XPaths (infinite-scroll containers, share
  buttons, comment sections) match on few pages yet cost ~2.8 ms a page; a guard read off
  the page's id and class values skips those that cannot match (see _guarded_prune).

Together (best of 3 passes over those pages, one core): clean() 17.3 -> 13.5 ms a page,
identical output.
"""

from __future__ import annotations

import importlib
import re
import weakref
from copy import copy
from functools import lru_cache

# characters trafilatura.utils.INVALID_XML_CHARS removes
_INVALID_XML = tuple(chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20),
                                      0xFFFE, 0xFFFF])
_COOKIE_CALL = "|.//*[re:test(@class, '{0}', 'i') or re:test(@id, '{0}', 'i')]"
# a literal each alternative of trafilatura's _COOKIE_CONSENT_RE contains (checked at install)
_COOKIE_ANCHORS = ("cookie", "consent", "borlabs", "cmplz", "onetrust", "moove")


@lru_cache(maxsize=1)
def install() -> None:
    """Swap them in (idempotent; a trafilatura that differs is left alone)."""
    import trafilatura.core as core
    import trafilatura.utils as utils

    _swap(core, "_prepare_tree", _lean_prepare_tree)
    _swap(core, "prune_unwanted_nodes", _guarded_prune)
    if getattr(utils, "INVALID_XML_CHARS", None) is not None and \
            utils.INVALID_XML_CHARS.pattern == r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]":
        _swap(utils, "repair_faulty_html", _repair_faulty_html)
    selector = _basic_clean_selector()
    if selector is not None:
        baseline = _baseline_module()
        selector.__wrapped__ = baseline.BASIC_CLEAN_XPATH
        selector.newsbeam_lean = True
        baseline.BASIC_CLEAN_XPATH = selector


def _baseline_module():
    # `import trafilatura.baseline` would bind the package's `baseline` function instead
    return importlib.import_module("trafilatura.baseline")


class shipped:
    """Context manager: trafilatura exactly as shipped (for tests comparing against it)."""

    def __enter__(self):
        import trafilatura.core as core
        import trafilatura.utils as utils

        self._saved = []
        for module in (core, utils, _baseline_module()):
            for name, value in list(vars(module).items()):
                if getattr(value, "newsbeam_lean", False):
                    self._saved.append((module, name, value))
                    setattr(module, name, value.__wrapped__)
        return self

    def __exit__(self, *exc):
        for module, name, value in self._saved:
            setattr(module, name, value)
        return False


def _swap(module, name: str, lean) -> None:
    original = getattr(module, name, None)
    if original is None or getattr(original, "newsbeam_lean", False):
        return

    def replacement(*args, **kwargs):
        return lean(original, *args, **kwargs)

    replacement.newsbeam_lean = True
    replacement.__wrapped__ = original
    replacement.__doc__ = lean.__doc__
    setattr(module, name, replacement)


def _lean_prepare_tree(original, tree, options, url):
    """Fast mode without comments: no backup copy (neither of its readers runs)."""
    if getattr(options, "fast", False) and not getattr(options, "comments", True):
        import trafilatura.core as core

        return core.convert_tags(core.tree_cleaning(copy(tree), options), options, url), None
    return original(tree, options, url)


def _repair_faulty_html(original, htmlstring: str, beginning: str) -> str:
    """Skip the invalid-character regex when a plain search shows there is none."""
    if any(ch in htmlstring for ch in _INVALID_XML):
        return original(htmlstring, beginning)
    from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML

    if "doctype" in beginning:
        firstline, _, rest = htmlstring.partition("\n")
        htmlstring = DOCTYPE_TAG.sub("", firstline, count=1) + "\n" + rest
    for line in htmlstring[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            htmlstring = FAULTY_HTML.sub(r"\1>", htmlstring, count=1)
            break
    return htmlstring


class _BasicCleanSelector:
    """Callable like BASIC_CLEAN_XPATH: the same elements in document order, without EXSLT.

    The XPath's plain part stays an XPath (0.3 ms). Its cookie-banner part, `re:test(@class,
    RE, 'i') or re:test(@id, RE, 'i')`, makes lxml call into Python for each of the ~580
    elements per page with a class or id (2.6 ms). Instead all class and id values are read
    in one XPath and joined by newlines (RE cannot match one): if none contains a literal
    that every alternative of RE needs ("cookie", "consent", ...), no element can match;
    else RE decides on the joined values, then per element (4 pages in 100).
    """

    def __init__(self, plain_source: str, pattern: str, anchors: tuple[str, ...]) -> None:
        from lxml.etree import XPath

        self._plain = XPath(plain_source)
        self._values = XPath(".//@class|.//@id", smart_strings=False)
        self._with_values = XPath(".//*[@class or @id]")
        self._cookie = re.compile(pattern, re.IGNORECASE)  # = lxml's re:test(..., 'i')
        self._anchors = anchors

    def _may_match(self, values: str) -> bool:
        if values.isascii():  # ASCII: IGNORECASE is plain lower-casing
            lowered = values.lower()
            if not any(anchor in lowered for anchor in self._anchors):
                return False
        return self._cookie.search(values) is not None

    def _is_banner(self, elem) -> bool:
        cls, ident = elem.get("class"), elem.get("id")
        return bool((cls is not None and self._cookie.search(cls))
                    or (ident is not None and self._cookie.search(ident)))

    def __call__(self, tree) -> list:
        plain = self._plain(tree)
        if not self._may_match("\n".join(self._values(tree))):
            return plain
        banners = [e for e in self._with_values(tree) if self._is_banner(e)]
        if not banners:
            return plain
        merged = set(plain).union(banners)
        return [e for e in tree.iter() if e in merged]


def _top_level_alternatives(pattern: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in pattern:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


@lru_cache(maxsize=1)
def _basic_clean_selector() -> _BasicCleanSelector | None:
    """The replacement for trafilatura's BASIC_CLEAN_XPATH, or None if its shape is not the
    one this module knows (then trafilatura keeps its own)."""
    from trafilatura.settings import _COOKIE_CONSENT_RE, BASIC_CLEAN_XPATH

    tail = _COOKIE_CALL.format(_COOKIE_CONSENT_RE)
    source = BASIC_CLEAN_XPATH.path
    if not source.endswith(tail) or "re:" in source[: -len(tail)]:
        return None
    if not all(any(a in alt for a in _COOKIE_ANCHORS)
               for alt in _top_level_alternatives(_COOKIE_CONSENT_RE)):
        return None
    if re.search(r"\\[sSWDBn]|\.|\[\^", _COOKIE_CONSENT_RE):
        return None  # could match a newline: joining the values would not be exact
    return _BasicCleanSelector(source[: -len(tail)], _COOKIE_CONSENT_RE, _COOKIE_ANCHORS)


# ------------------------------------------------------------ prune lists with a cheap guard

_TERM = re.compile(r"""(re:test|contains)\((@[\w-]+),\s*'([^']*)'(?:,\s*'(i?)')?\)""")


class _Guard:
    """A necessary condition of one XPath: one of its predicates is nothing but `re:test(@a,
    'RE')` / `contains(@a, 'text')` terms joined by `or`, so no element can match unless some
    value of those attributes anywhere in the tree passes one of the terms. Values are tested
    joined by newlines (multiline anchors; patterns that could match a newline get no guard),
    which can only widen the test: a guard never hides a match, it may let a few through."""

    def __init__(self, terms: list[tuple[str, str, str, bool]]) -> None:
        self.attributes = sorted({attr for attr, *_ in terms})
        self._tests = [
            (attr, re.compile(pattern, re.MULTILINE | (re.IGNORECASE if ignore_case else 0))
             if kind == "re" else pattern)
            for attr, kind, pattern, ignore_case in terms
        ]

    def may_match(self, values: dict[str, str]) -> bool:
        for attr, test in self._tests:
            joined = values[attr]
            if test in joined if isinstance(test, str) else test.search(joined):
                return True
        return False


def _top_level(source: str):
    """(index, char, bracket depth) of the characters of an XPath outside quotes."""
    depth, quote = 0, None
    for i, ch in enumerate(source):
        if quote:
            quote = None if ch == quote else quote
            continue
        if ch in "'\"":
            quote = ch
            continue
        depth += ch == "["
        yield i, ch, depth
        depth -= ch == "]"


def _predicates(source: str) -> list[str]:
    """The outermost `[...]` groups of an XPath."""
    groups, start = [], 0
    for i, ch, depth in _top_level(source):
        if ch == "[" and depth == 1:
            start = i + 1
        elif ch == "]" and depth == 1:
            groups.append(source[start:i])
    return groups


def _guard_of(source: str) -> _Guard | None:
    if any(ch == "|" and depth == 0 for _, ch, depth in _top_level(source)):
        return None  # a union of paths: one branch's predicate is not necessary
    for group in _predicates(source):
        terms, rest = [], group
        for m in _TERM.finditer(group):
            function, attr, pattern, ignore_case = m.groups()
            if function == "re:test" and re.search(r"\\[sSWDBn]|\.|\[\^", pattern):
                break  # could match across the newline joining values
            terms.append((attr, "re" if function == "re:test" else "text", pattern,
                          ignore_case == "i"))
            rest = rest.replace(m.group(0), "", 1)
        else:
            if terms and not rest.replace("or", "").strip():
                return _Guard(terms)
    return None


@lru_cache(maxsize=64)
def _guards(sources: tuple[str, ...]) -> tuple[_Guard | None, ...]:
    return tuple(_guard_of(source) for source in sources)


def _attribute_values(tree, attributes) -> dict[str, str]:
    return {attr: "\n".join(_value_xpath(attr)(tree)) for attr in attributes}


@lru_cache(maxsize=16)
def _value_xpath(attr: str):
    from lxml.etree import XPath

    return XPath(f".//{attr}", smart_strings=False)


# id/class values per tree, read once for the consecutive raw-tree prunes (pruning only
# removes elements, so earlier values stay a superset: a guard may let more through, never less)
_VALUES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _guarded_prune(original, tree, nodelist, with_backup: bool = False):
    """prune_unwanted_nodes without evaluating the XPaths that cannot match this tree.

    RAW_TREE_PRUNE_XPATH (infinite-scroll containers, share buttons) matches on 7 of 439
    pages and REMOVE_COMMENTS_AND_LISTS_XPATH on 150, yet each costs ~1.4 ms a page because
    its EXSLT re:test calls back into Python per element. Reading the page's id and class
    values once (0.3 ms) answers most of them."""
    sources = tuple(getattr(x, "path", "") for x in nodelist)
    guards = _guards(sources)
    if any(g is not None for g in guards):
        values = _VALUES.get(tree, {})
        missing = {a for g in guards if g for a in g.attributes} - values.keys()
        if missing:
            values = _VALUES[tree] = {**values, **_attribute_values(tree, missing)}
        nodelist = [x for x, g in zip(nodelist, guards, strict=True)
                    if g is None or g.may_match(values)]
    return original(tree, nodelist, with_backup)
