"""`newsbeam bench NAME`: run a benchmark from benchmarks/bench_NAME.py.

Benchmarks read ../shared/eval beside the checkout, so they run from a source checkout
(the editable install that `make setup` makes), not from an installed wheel.
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import sys

BENCH_DIR = pathlib.Path(__file__).resolve().parents[2] / "benchmarks"


def available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in BENCH_DIR.glob("bench_*.py"))


class Command:
    name = "bench"
    help = "run a benchmark (clean, events, kafka, sinks, job, …); default: job"
    accepts_extra_args = True

    def configure_parser(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("benchmark", nargs="?", default="job",
                            help=f"one of: {', '.join(available()) or '(none found)'}")

    def execute(self, args: argparse.Namespace) -> int:
        path = BENCH_DIR / f"bench_{args.benchmark}.py"
        if not path.exists():
            print(f"newsbeam bench: no benchmark {args.benchmark!r}; available: "
                  f"{', '.join(available())}", file=sys.stderr)
            return 2
        sys.path.insert(0, str(BENCH_DIR.parent))  # benchmarks/ is a namespace package
        module = importlib.import_module(f"benchmarks.bench_{args.benchmark}")
        return int(module.main(list(args.extra_args)) or 0)
