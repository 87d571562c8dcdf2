"""Shared test fixtures: paths to the official releases in ../shared and to test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(
    __import__("os").environ.get("CAREERGRAPH_SHARED_DATA", str(ROOT.parent / "shared" / "data"))
)


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared/data, skipping the test with a reason when it is absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"official release not available: {path} (CI provides ../shared/data)")
    return path


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
