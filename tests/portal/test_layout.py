"""The house stays readable: no two modules import each other, directly or around a longer
circle (imports inside functions count too), and no module of the apps grows past 800 lines."""

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "search", "programs", "reviews", "careers", "portal")
MAX_LINES = 800


def test_no_module_imports_another_that_imports_it_back():
    graph = grimp.build_graph(*PACKAGES)
    circles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            back = graph.find_shortest_chain(importer=imported, imported=module)
            if back:
                circles.append(f"{module} → {' → '.join(back)}")
    assert circles == []


def test_no_module_of_the_apps_is_over_800_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
