"""Alternations factored as a trie: `re` tries the branches of `a|b|c` one by one at each
position, a trie tests each character once (the literal scans that gate the coder's regexes)."""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_regex(sequences: Iterable[list[str]]) -> str:
    """Regex source matching where any sequence of regex atoms matches. A sequence that is a
    prefix of another ends the branch: these regexes only answer "does something start here"."""
    root: dict = {}
    for seq in sequences:
        node = root
        for atom in seq:
            node = node.setdefault(atom, {})
        node[""] = {}

    def emit(node: dict) -> str:
        if "" in node:
            return ""
        alts = [atom + emit(child) for atom, child in sorted(node.items())]
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


def literal_trie(words: Iterable[str]) -> str:
    """Regex source matching wherever one of `words` occurs literally."""
    return trie_regex([re.escape(ch) for ch in word] for word in words)
