"""newsbeam pipeline: the transforms (clean, events, metrics, job assembly, CLI)."""

__version__ = "0.1.0"
