"""Third-party test data lives in `../shared` (never in the project): find it, or skip/fail."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips when it is absent, fails when TUI_NEWS_REQUIRE_CORPUS=1."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"third-party test data not found: {path} (see tests/README.md)"
        if os.environ.get("TUI_NEWS_REQUIRE_CORPUS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return path
