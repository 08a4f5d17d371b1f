"""The house stays readable: no two modules import each other, directly or around a longer
circle (imports inside functions count too), no module of the apps grows past 800 lines, and
every public function of the library and of each app's models and views says its types (which
mypy checks in `make lint`)."""

import ast
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


def typed_scope():
    """The library (core, search) and each app's models and views."""
    for package in ("core", "search"):
        yield from (
            path
            for path in (ROOT / package).rglob("*.py")
            if not {"migrations", "management"} & set(path.parts)
        )
    for app in ("programs", "careers", "reviews", "portal"):
        yield from (ROOT / app).glob("models.py")
        yield from (ROOT / app).glob("models/*.py")
        yield from (ROOT / app).glob("views.py")


def public_functions(tree, prefix=""):
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if not node.name.startswith("_"):
                yield prefix + node.name, node
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            yield from public_functions(node, f"{prefix}{node.name}.")


def test_every_public_function_of_the_library_models_and_views_is_annotated():
    untyped = []
    for path in typed_scope():
        for name, node in public_functions(ast.parse(path.read_text(encoding="utf-8"))):
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            named = [a for a in arguments if a.arg not in ("self", "cls")]
            if node.returns is None or any(a.annotation is None for a in named):
                untyped.append(f"{path.relative_to(ROOT)}: {name}")
    assert untyped == []
