"""The docs stay true to the code: every setting the portal reads from the environment is in
docs/configuration.md, the README stays short and links to every doc."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READS = re.compile(
    r'(?:os\.environ\.get|os\.environ\[|os\.getenv|env_[a-z]+)\(?\s*"([A-Z][A-Z0-9_]+)"'
)


def test_every_setting_read_from_the_environment_is_documented():
    configuration = (ROOT / "docs" / "configuration.md").read_text()
    read = set()
    for package in ["core", "search", "programs", "careers", "reviews", "portal"]:
        for path in (ROOT / package).rglob("*.py"):
            read |= set(READS.findall(path.read_text()))
    assert {"DJANGO_SECRET_KEY", "REDIS_URL", "DJANGO_DEBUG"} <= read  # the pattern finds them
    read.add("DATABASE_URL")  # read by dj-database-url itself
    missing = sorted(name for name in read if f"`{name}`" not in configuration)
    assert missing == []


def test_the_readme_is_short_and_links_every_doc():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= 200
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"](docs/{doc.name})" in readme, doc.name


def test_the_numbers_the_docs_give_are_the_codes():
    """Figures in the prose that the code can change."""
    import importlib
    import re

    from programs.views import FIT_SHOWN_PER_VERDICT

    seed = importlib.import_module("search.migrations.0004_seed_filter_words")
    seeded = sum(len(words) for words in seed.FILTER_WORDS.values())
    readers = re.sub(r"\s+", " ", (ROOT / "docs" / "readers.md").read_text())
    assert f"the first {FIT_SHOWN_PER_VERDICT} of each" in readers
    search = re.sub(r"\s+", " ", (ROOT / "docs" / "search.md").read_text())
    assert f"Search → Filter words; {seeded} are seeded" in search


def test_the_benchmark_targets_the_docs_give_are_the_benchmarks():
    import re

    from bench import run

    docs = re.sub(r"\s+", " ", (ROOT / "docs" / "benchmarks.md").read_text())
    uncached = {page: minimums[0] for page, minimums in run.TARGETS.items()}
    assert f"at {run.TARGET_SIZE:,} programs, uncached: home ≥ {uncached['home']}×" in docs
    shared = {uncached[page] for page in ("list", "list filtered", "program", "compare 4")}
    assert shared == {uncached["careers"]}
    assert f"comparison of 4 and careers ≥ {uncached['careers']}×" in docs
    assert f"the long tail (cache on) ≥ {run.TARGETS['long tail'][1]}×" in docs
    assert all(
        minimums[1] == run.CACHED_MIN for p, minimums in run.TARGETS.items() if p != "long tail"
    )
    assert f"cached: every page ≥ {run.CACHED_MIN}× at every N" in docs
    assert f"p99 ≤ {run.P99_MAX_MS:.0f} ms uncached" in docs
    assert run.SCALING_MIN == 1 / 3 and "at least a third of its ratio at 100" in docs
    assert f"a rotation over {run.LONG_TAIL:,} distinct filtered list addresses" in docs
