"""The `newsbeam` command line.

One module per command under `pipeline/cli/`, each exposing a `Command` class with
`name`, `help`, `configure_parser(parser)` and `execute(args) -> int`. Heavy imports
(Beam, trafilatura, kafka-python) happen inside `execute` so `newsbeam --help` is fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

# Command modules, in the order `--help` lists them.
COMMAND_MODULES = (
    "produce",
    "read",
    "clean",
    "events",
    "run",
    "bench",
)


def _load_commands():
    commands = []
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(f"pipeline.cli.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pipeline.cli.{module_name}":
                continue  # command not written yet
            raise
        commands.append(module.Command())
    return commands


def build_parser() -> argparse.ArgumentParser:
    from pipeline import __version__

    parser = argparse.ArgumentParser(
        prog="newsbeam",
        description="Streaming news ingestion: pages -> articles -> CAMEO events -> sinks.",
    )
    parser.add_argument("--version", action="version", version=f"newsbeam {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in _load_commands():
        p = sub.add_parser(command.name, help=command.help, description=command.help)
        command.configure_parser(p)
        p.set_defaults(_command=command)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    command = getattr(args, "_command", None)
    if command is None:
        parser.print_help()
        return 2
    if extra and not getattr(command, "accepts_extra_args", False):
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra_args = extra
    try:
        return int(command.execute(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        from connectors.kafka.clients import TlsVerifyError

        if not (type(exc).__module__.startswith("kafka.") or isinstance(exc, TlsVerifyError)):
            raise
        # unreachable broker, refused credentials, missing topic: one line, no traceback
        # (kafka-python's messages never carry the SASL password)
        print(f"newsbeam {args.command}: Kafka error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
