"""Docs that cannot go stale: every file they cite exists, and the code cites the benchmark, not its figures."""

from __future__ import annotations

import re
from pathlib import Path

import pos_app

PROJECT = Path(pos_app.__file__).parent.parent
CITED_PATH = re.compile(r"\b((?:pos_app|tests|docs|packaging|resources|\.ci)/[\w./*-]*\w)")
PACKAGES = "mediation|messages|domain|application|read_model|infrastructure|ui|tools"
CITED_MODULE = re.compile(rf"(?<![\w/.])((?:{PACKAGES})/[\w/]*\w\.py)\b")
"""A module named from inside the package, as `read_model/order_list.py`."""
MEASURED_FIGURE = re.compile(r"\d\s*(?:µs|us|ns)\b")
"""A duration this small is always a measurement of this machine, never a setting: it belongs to a benchmark."""


def _documents() -> list[Path]:
    return [
        PROJECT / "README.md",
        *sorted((PROJECT / "docs").glob("*.md")),
        *sorted((PROJECT / "pos_app").rglob("*.py")),
        *sorted((PROJECT / "tests").rglob("*.py")),
    ]


def _exists(cited: str) -> bool:
    """A pattern (`last_*.json`, files a run leaves) names its folder; anything else must be there."""
    path = PROJECT / cited
    return path.parent.is_dir() if "*" in path.name else path.exists()


def test_every_cited_file_exists() -> None:
    missing = [
        f"{document.relative_to(PROJECT)} cites {cited}"
        for document in _documents()
        for cited in CITED_PATH.findall(document.read_text(encoding="utf-8"))
        if not _exists(cited)
    ] + [
        f"{document.relative_to(PROJECT)} cites {cited}"
        for document in _documents()
        for cited in CITED_MODULE.findall(document.read_text(encoding="utf-8"))
        if not (PROJECT / "pos_app" / cited).exists()
    ]
    assert missing == []


def test_the_code_cites_benchmarks_not_their_figures() -> None:
    quoted = [
        f"{path.relative_to(PROJECT)}:{number}: {line.strip()}"
        for path in sorted((PROJECT / "pos_app").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if MEASURED_FIGURE.search(line)
    ]
    assert quoted == [], "cite the benchmark under tests/benchmarks/ that measures it instead"


def test_nothing_shows_a_database_url_the_app_does_not_use() -> None:
    shown = [
        str(path.relative_to(PROJECT))
        for path in [PROJECT / "README.md", *(PROJECT / "docs").glob("*.md"), *(PROJECT / "pos_app").rglob("*.py")]
        if "sqlite+aiosqlite" in path.read_text(encoding="utf-8")
    ]
    assert shown == []
