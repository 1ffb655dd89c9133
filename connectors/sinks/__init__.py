"""One sink contract for every destination: add -> flush -> confirm (see base.py)."""

from connectors.sinks.base import Sink, SinkError, TerminalSinkError, TransientSinkError

__all__ = ["Sink", "SinkError", "TerminalSinkError", "TransientSinkError"]
