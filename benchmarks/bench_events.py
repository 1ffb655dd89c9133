#!/usr/bin/env python3
"""Quality and speed of the CAMEO event coder (`pipeline.events.extract_events`).

    python benchmarks/bench_events.py [--shared ../shared] [--json OUT.json] [--limit N]

Quality: codes ../shared/eval/events/dev.jsonl and seed.jsonl (language detected by the
coder, as the guideline requires) and scores them with score.py from that folder
(imported by path): P/R/F1 on (actor1 entity, actor2 entity, CAMEO root), overall and per
language, plus role, base-code and date accuracy over matched pairs.
Speed: sentences/s of the coder on the dev+seed texts, and on the Zyte pages
(../shared/eval/cleaning/zyte/html/*.html.gz) CPU time of clean() against
extract_events() on the cleaned articles in the same run; the target is
coding <= 25 % of cleaning.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import pathlib
import sys
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

TARGETS = {"dev_f1": 0.70, "dev_lang_f1": 0.55, "speed_ratio": 0.25}


def load_score(events_dir: pathlib.Path):
    """The shared scorer, events_dir/score.py, imported by path (it is not a package)."""
    spec = importlib.util.spec_from_file_location("events_score", events_dir / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def code_gold(
    path: pathlib.Path, limit: int | None = None
) -> tuple[list[dict], list[dict], int, float]:
    """Code every item of a gold file; returns (gold items, outputs, sentences, seconds)."""
    from pipeline.events.coder import extract_events_from_text
    from pipeline.events.sentences import split_sentences

    items = [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if limit:
        items = items[:limit]
    outputs = []
    sentences = 0
    for item in items:  # warm-up: compile every language's lexicons once
        extract_events_from_text(item["text"], item.get("published"), article_id=item["id"])
    started = time.process_time()
    for item in items:
        events = extract_events_from_text(
            item["text"], item.get("published"), lang=None, article_id=item["id"]
        )
        outputs.append({"id": item["id"], "events": [e.to_dict() for e in events]})
    elapsed = time.process_time() - started
    for item in items:
        sentences += len(split_sentences(item["text"]))
    return items, outputs, sentences, elapsed


def score_gold(events_dir: pathlib.Path, name: str) -> tuple[dict, list[dict], list[dict]]:
    """Code and score one gold file: (results by language incl. "all", items, outputs)."""
    items, outputs, _, _ = code_gold(events_dir / name)
    results, _ = load_score(events_dir).score(items, outputs)
    return results, items, outputs


def speed_on_pages(html_dir: pathlib.Path, limit: int | None = None) -> dict:
    """CPU seconds of clean() and of extract_events() on the same pages, in one run."""
    import logging

    from connectors.pages import PageEnvelope
    from pipeline.clean import clean
    from pipeline.events.coder import extract_events

    for name in ("trafilatura", "htmldate", "courlan"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    pages = sorted(html_dir.glob("*.html.gz"))
    if limit:
        pages = pages[:limit]
    envelopes = [
        PageEnvelope(
            url=p.resolve().as_uri(), html=gzip.open(p, "rb").read().decode("utf-8", "replace")
        )
        for p in pages
    ]
    t_clean = 0.0
    articles = []
    for env in envelopes:
        t0 = time.process_time()
        article = clean(env)
        t_clean += time.process_time() - t0
        if hasattr(article, "article_id"):
            articles.append(article)
    # Pass 1 includes the one-time compilation of each language's lexicons (actors,
    # dates, triggers); pass 2 is the steady state of a long-running worker.
    t0 = time.process_time()
    n_events = sum(len(extract_events(a)) for a in articles)
    t_cold = time.process_time() - t0
    t0 = time.process_time()
    for a in articles:
        extract_events(a)
    t_warm = time.process_time() - t0
    return {
        "pages": len(envelopes),
        "articles": len(articles),
        "events": n_events,
        "clean_s": round(t_clean, 3),
        "events_cold_s": round(t_cold, 3),
        "events_s": round(t_warm, 3),
        "ratio": round(t_warm / t_clean, 4) if t_clean else None,
        "ratio_cold": round(t_cold / t_clean, 4) if t_clean else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--shared",
        type=pathlib.Path,
        default=REPO.parent / "shared",
        help="the shared data folder (default: ../shared beside the repo)",
    )
    ap.add_argument("--json", type=pathlib.Path, help="also write the full report here")
    ap.add_argument("--limit", type=int, help="only the first N items/pages of each set")
    ap.add_argument("--no-speed", action="store_true", help="skip the Zyte clean-vs-code timing")
    ap.add_argument("--errors", type=int, default=0, help="print N dev items with errors")
    args = ap.parse_args(argv)
    events_dir = args.shared / "eval" / "events"
    if not (events_dir / "score.py").is_file():
        print(f"no evaluation data at {events_dir}", file=sys.stderr)
        return 2
    score = load_score(events_dir)
    report: dict = {}
    total_sent = 0
    total_s = 0.0
    for name in ("dev", "seed"):
        items, outputs, n_sent, secs = code_gold(events_dir / f"{name}.jsonl", args.limit)
        total_sent += n_sent
        total_s += secs
        results, errors = score.score(items, outputs)
        report[name] = results
        print(f"== {name}.jsonl ({len(items)} items)")
        for key in ["all"] + sorted(k for k in results if k != "all"):
            r = results[key]
            print(
                f"  {key:>4}  P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  "
                f"(tp {r['tp']} fp {r['fp']} fn {r['fn']})  role {r['role_acc']}  "
                f"base {r['base_acc']}  date {r['date_acc']}"
            )
        if name == "dev":
            for e in errors[: args.errors]:
                print("   ", json.dumps(e, ensure_ascii=False))
    report["coder_sentences_per_s"] = round(total_sent / total_s, 1) if total_s else None
    print(
        f"== coder speed on dev+seed (warm): {total_sent} sentences, {total_s:.3f} CPU s, "
        f"{report['coder_sentences_per_s']} sentences/s"
    )
    html_dir = args.shared / "eval" / "cleaning" / "zyte" / "html"
    if not args.no_speed and html_dir.is_dir():
        sp = speed_on_pages(html_dir, args.limit)
        report["zyte_speed"] = sp
        print(
            f"== zyte pages: {sp['pages']} pages, {sp['articles']} articles, "
            f"{sp['events']} events; "
            f"clean {sp['clean_s']} CPU s, events {sp['events_s']} CPU s warm "
            f"({sp['events_cold_s']} s first pass incl. lexicon compilation); "
            f"events/clean = {sp['ratio']} warm, {sp['ratio_cold']} first pass "
            f"(target <= {TARGETS['speed_ratio']})"
        )
    dev = report["dev"]
    ok = dev["all"]["f1"] >= TARGETS["dev_f1"]
    print(
        f"== dev F1 {dev['all']['f1']:.3f} (target >= {TARGETS['dev_f1']}): "
        f"{'OK' if ok else 'BELOW'}"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
