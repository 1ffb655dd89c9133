"""Duplicate fingerprints and the bounded DuplicateIndex (pure, no pipeline)."""

from __future__ import annotations

import random

import pytest

from pipeline.dedup import (
    DuplicateIndex,
    content_hash,
    hamming,
    normalized_tokens,
    simhash64,
    simhash_hex,
)

STORY = """Putin tells Xi he wants closer military cooperation in a video call.
Russian President Vladimir Putin told Chinese leader Xi Jinping on Friday that he wanted
to strengthen military cooperation between the two countries, as the war in Ukraine
nears its first anniversary. In a video conference, Putin called Xi his dear friend and
said the aim was to strengthen cooperation between the armed forces of Russia and China.
He praised the efforts of Moscow and Beijing to counter Western pressure and
provocation, saying the strategic partnership grows in importance amid rising
geopolitical tension. China has tried to remain neutral on the war while offering
diplomatic support to its strategic partner. Xi said China was ready to work with Russia
to increase strategic cooperation and to be global partners for development, adding that
the road to peace talks would not be smooth. The two leaders also discussed energy
supplies, trade settled in national currencies and joint exercises planned for next year.
Analysts said the call was meant to signal that the partnership remained strong despite
setbacks on the battlefield and Western sanctions on the Russian economy."""

# A syndicated copy: other headline line, an agency byline, a couple of edited words.
SYNDICATED = ("Putin seeks deeper military ties with China, tells Xi 'dear friend'\n"
              + STORY.split("\n", 1)[1].replace("nears its first anniversary",
                                                "approaches its first anniversary")
              .replace("Analysts said", "Observers said")
              + "\n(Reporting by agency staff; editing by the desk)")

OTHER = """The city council approved a new budget on Monday that raises spending on public
transport and schools while cutting administrative costs. The mayor said bus fares would
stay frozen for two more years and that three new tram lines would open by the end of the
decade. Opposition members criticised the plan as unrealistic, pointing to rising energy
prices and the cost of borrowing. The budget still needs approval from the regional
government before it takes effect in January, officials said after the vote."""


def fingerprints(text: str) -> tuple[str, int]:
    tokens = normalized_tokens(text)
    return content_hash(text, tokens), simhash64(text, tokens)


def test_content_hash_ignores_case_whitespace_and_punctuation():
    assert content_hash("Hello,   World!\n") == content_hash("hello world")
    assert content_hash("hello world") != content_hash("hello there world")


def test_simhash_is_deterministic_and_hex_safe():
    a = simhash64(STORY)
    assert a == simhash64(STORY)
    assert 0 <= a < 2**64
    assert len(simhash_hex(a)) == 16 and int(simhash_hex(a), 16) == a
    assert simhash64("") == 0


def test_simhash_distances():
    story, syndicated, other = simhash64(STORY), simhash64(SYNDICATED), simhash64(OTHER)
    assert hamming(story, syndicated) <= DuplicateIndex().max_distance
    assert hamming(story, other) > 12


def test_exact_duplicate_flagged_with_first_id():
    index = DuplicateIndex(capacity=10)
    h, s = fingerprints(STORY)
    assert index.check_and_add("a1", h, s) is None
    match = index.check_and_add("b2", h, s)
    assert match is not None and (match.kind, match.first_id) == ("exact", "a1")
    third = index.check_and_add("c3", h, s)
    assert third.first_id == "a1"  # always the first copy, not the previous one


def test_same_article_id_is_not_its_own_duplicate():
    index = DuplicateIndex(capacity=10)
    h, s = fingerprints(STORY)
    assert index.check_and_add("a1", h, s) is None
    assert index.check_and_add("a1", h, s) is None  # replay / re-fetch
    assert len(index) == 1


def test_near_duplicate_syndicated_copy():
    index = DuplicateIndex(capacity=10)
    assert index.check_and_add("orig", *fingerprints(STORY)) is None
    assert index.check_and_add("other", *fingerprints(OTHER)) is None
    match = index.check_and_add("copy", *fingerprints(SYNDICATED))
    assert match is not None and (match.kind, match.first_id) == ("near", "orig")
    assert match.distance <= index.max_distance


def test_lru_capacity_bounds_memory():
    index = DuplicateIndex(capacity=3)
    rng = random.Random(7)
    hashes = [(f"h{i}", rng.getrandbits(64)) for i in range(5)]
    for i, (h, s) in enumerate(hashes):
        index.check_and_add(f"id{i}", h, s)
    assert len(index) == 3
    assert index.lookup("new", "h0", hashes[0][1]) is None        # evicted
    assert index.lookup("new", "h4", hashes[4][1]).first_id == "id4"
    # internal tables shrink with evictions too
    assert sum(len(bucket) for table in index._tables for bucket in table.values()) == 3 * 7


def test_hit_refreshes_first_copy_in_lru():
    index = DuplicateIndex(capacity=2)
    index.check_and_add("a", "ha", 0x1111)
    index.check_and_add("b", "hb", 0xFFFF0000FFFF0000)
    index.check_and_add("a-copy", "ha", 0x1111)   # refreshes "a"
    index.check_and_add("c", "hc", 0x0F0F0F0F0F0F0F0F)  # evicts "b", not "a"
    assert index.lookup("x", "ha", 0x1111).first_id == "a"
    assert index.lookup("x", "hb", 0xFFFF0000FFFF0000) is None


def test_banding_finds_every_pair_within_distance():
    rng = random.Random(42)
    index = DuplicateIndex(capacity=1000, max_distance=6)
    base = [rng.getrandbits(64) for _ in range(200)]
    for i, s in enumerate(base):
        index.check_and_add(f"id{i}", f"h{i}", s)
    for i, s in enumerate(base[:50]):
        flipped = s
        for bit in rng.sample(range(64), 6):
            flipped ^= 1 << bit
        match = index.lookup("probe", "nohash", flipped)
        assert match is not None and match.first_id == f"id{i}"


def test_invalid_arguments():
    with pytest.raises(ValueError):
        DuplicateIndex(capacity=0)
    with pytest.raises(ValueError):
        DuplicateIndex(max_distance=16)
