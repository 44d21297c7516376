"""Shared fixtures: compiled catalogs (the same compile step as build.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import build  # noqa: E402


@pytest.fixture(scope="session")
def catalog_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("locales")
    build.compile_catalogs(ROOT / "locales", target)
    return target
