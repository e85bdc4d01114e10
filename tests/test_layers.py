"""The layers of ``src/klachten`` (docs/architecture.md): each app imports only from the layers
below it, never from its own layer or above, so no two apps import each other in a circle.

Read from the source with ``ast``, as the domain-purity test does: every import counts, also
one inside a function or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "klachten"

# Bottom to top. The top row is the entry points; ``locale``, ``static`` and ``templates`` hold
# no Python.
LAYERS: tuple[frozenset[str], ...] = tuple(
    frozenset(row.split())
    for row in (
        "domain",
        "core",
        "accounts customers",
        "audit",
        "organisation",
        "mail",
        "complaints",
        "messaging",
        "privacy public reports auditing",
        "api ops",
        "config cli",
        "__main__ __init__",
    )
)
LAYER_OF = {app: height for height, row in enumerate(LAYERS) for app in row}
NO_PYTHON = {"locale", "static", "templates"}


def app_of(path: Path, package: Path = PACKAGE) -> str:
    """``complaints`` for ``src/klachten/complaints/views.py``; ``cli`` for ``cli.py``."""
    first = path.relative_to(package).parts[0]
    return first.removesuffix(".py")


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, app) for every import of ``klachten.<app>`` in the module at ``path``."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
            if node.module == "klachten":  # from klachten import complaints
                modules = [f"klachten.{alias.name}" for alias in node.names]
        else:
            continue
        for module in modules:
            parts = module.split(".")
            if parts[0] == "klachten" and len(parts) > 1:
                found.append((node.lineno, parts[1]))
    return found


def offences(package: Path = PACKAGE) -> list[str]:
    """Every import that runs up a layer or sideways into another app of the same layer."""
    out = []
    for path in sorted(package.rglob("*.py")):
        here = app_of(path, package)
        for line, there in imported_apps(path):
            if there == here:
                continue
            if LAYER_OF[there] >= LAYER_OF[here]:
                where = path.relative_to(package.parent)
                out.append(f"{where}:{line}: {here} (layer {LAYER_OF[here]}) imports {there}")
    return out


def test_every_app_has_a_layer() -> None:
    apps = {app_of(path) for path in PACKAGE.iterdir() if path.name != "__pycache__"} - NO_PYTHON
    assert apps - set(LAYER_OF) == set(), "give the new app a layer here and in the docs"
    assert set(LAYER_OF) - apps == set()


def test_each_app_imports_only_from_the_layers_below_it() -> None:
    assert offences() == []


def test_the_layer_test_sees_a_wrong_import(tmp_path: Path) -> None:
    """The check itself: an import up a layer, sideways, or hidden in a function is found."""
    package = tmp_path / "klachten"
    for app in LAYER_OF:
        if not app.startswith("_") and app not in {"cli"}:
            (package / app).mkdir(parents=True)
    (package / "core" / "errors.py").write_text("from klachten.complaints.models import X\n")
    (package / "public" / "views.py").write_text(
        "def f():\n    from klachten.reports import selectors\n"
    )
    (package / "complaints" / "ok.py").write_text(
        "from klachten.mail import outbox\nimport klachten.domain.workdays\n"
    )
    found = offences(package)
    assert len(found) == 2, found
    assert "core (layer 1) imports complaints" in found[0]
    assert "public (layer 8) imports reports" in found[1]


def test_the_layers_in_the_docs_are_these() -> None:
    """docs/architecture.md draws the same rows, bottom to top."""
    doc = (PACKAGE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for row in LAYERS[:-2]:
        for app in row:
            assert f"`{app}`" in doc, app


@pytest.mark.parametrize("app", sorted(LAYER_OF))
def test_no_app_is_empty_of_meaning(app: str) -> None:
    """Every named layer exists as a package or module."""
    assert (PACKAGE / app).is_dir() or (PACKAGE / f"{app}.py").is_file()
