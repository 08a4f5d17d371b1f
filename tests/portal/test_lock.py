"""The lock files pin every dependency pyproject.toml declares, inside its range: a dependency
added to pyproject.toml without `make lock` fails here, not on a fresh machine."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def pinned(lock):
    pins = {}
    for line in (ROOT / "requirements" / lock).read_text().splitlines():
        if "==" in line and not line.startswith(("#", " ")):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version.strip()
    return pins


def test_every_declared_dependency_is_pinned_within_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for lock, declared in [
        ("base.lock", project["dependencies"]),
        ("dev.lock", project["dependencies"] + project["optional-dependencies"]["dev"]),
    ]:
        pins = pinned(lock)
        for text in declared:
            requirement = Requirement(text)
            name = requirement.name.lower().replace("_", "-")
            assert name in pins, f"{name} is not in requirements/{lock}: run `make lock`"
            assert requirement.specifier.contains(pins[name], prereleases=True), (lock, text)
