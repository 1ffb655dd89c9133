"""Shared fixtures: each real service has its own plugin module under tests/fixtures/."""

import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

pytest_plugins = [
    name
    for name in ("tests.fixtures.kafka", "tests.fixtures.postgres", "tests.fixtures.prometheus")
    if (REPO / (name.replace(".", "/") + ".py")).exists()
]


@pytest.fixture(scope="session")
def shared_dir() -> pathlib.Path:
    """../shared beside the checkout (read-only eval data); skip when it is not there."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED
