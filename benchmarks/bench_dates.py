"""Diagnostic: how often the date resolver's choice equals the gold event date on the eval sets.

Approximate by design: an item may report several events on different dates; the resolver gives one
date per text, so an item counts as correct when that date equals *any* gold event date (and the
strict figure, equal to the first dated gold event, is reported too). Also times the resolver.

    .venv/bin/python -m benchmarks.bench_dates [--verbose] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import pathlib
import sys
import time

from pipeline.events.dates import find_date_cues, resolve_event_date

REPO = pathlib.Path(__file__).resolve().parents[1]


def _items(shared: pathlib.Path) -> list[dict]:
    items = []
    for name in ("dev.jsonl", "seed.jsonl"):
        path = shared / "eval" / "events" / name
        if path.exists():
            items.extend(
                json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line
            )
    return items


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=pathlib.Path, default=REPO.parent / "shared")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    args = ap.parse_args(argv)
    items = _items(args.shared)
    if not items:
        print(f"no eval data under {args.shared}/eval/events", file=sys.stderr)
        return 1
    per_lang: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    for item in items:
        golds = [e["date"] for e in item["events"] if e.get("date")]
        if not golds:
            continue
        published = datetime.date.fromisoformat(item["published"])
        value, _precision = resolve_event_date(item["text"], item["lang"], published)
        stats = per_lang[item["lang"]]
        stats[0] += 1
        stats[1] += value in golds
        stats[2] += value == golds[0]
        if args.verbose and value not in golds:
            print(
                f"MISS {item['id']} pub={item['published']} got={value} gold={golds}\n"
                f"   {item['text'][:160]}"
            )
    unknown = [0, 0]  # the same items with the language withheld (merged lexicons)
    for item in items:
        golds = [e["date"] for e in item["events"] if e.get("date")]
        if golds:
            value, _ = resolve_event_date(
                item["text"], None, datetime.date.fromisoformat(item["published"])
            )
            unknown[0] += 1
            unknown[1] += value in golds
    total = [sum(s[i] for s in per_lang.values()) for i in range(3)]
    print(f"{'lang':6} {'items':>5} {'any-gold':>9} {'first-gold':>10}")
    for lang, (n, anyok, first) in sorted(per_lang.items()):
        print(f"{lang:6} {n:5d} {anyok / n:9.3f} {first / n:10.3f}")
    print(f"{'ALL':6} {total[0]:5d} {total[1] / total[0]:9.3f} {total[2] / total[0]:10.3f}")
    print(f"{'lang?':6} {unknown[0]:5d} {unknown[1] / unknown[0]:9.3f}   (language withheld)")
    # speed: all texts (with and without gold dates), several rounds, cues + resolution
    texts = [(it["text"], it["lang"], datetime.date.fromisoformat(it["published"])) for it in items]
    rounds = 20
    t0 = time.perf_counter()
    for _ in range(rounds):
        for text, lang, pub in texts:
            find_date_cues(text, lang, pub)
    dt = time.perf_counter() - t0
    chars = sum(len(t) for t, _, _ in texts) * rounds
    print(
        f"speed: {len(texts) * rounds / dt:,.0f} texts/s, {chars / dt / 1e6:.2f} M chars/s "
        f"({dt / (len(texts) * rounds) * 1e6:.0f} us/text, warm caches)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
