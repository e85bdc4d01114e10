"""The rooms of ``klachten.api`` (issue 12, item 3): schemas, shared helpers, endpoints.

Every ninja schema lives in ``klachten.api.schemas``; what several modules share lives in
``klachten.api.helpers`` under a public name; the endpoint modules import only public names.
A name with a leading underscore is its module's own business: no module of the API imports
one from another ``klachten`` module, nor reaches for one as an attribute.

Read from the source with ``ast``, as the layer test does: every import counts, also one inside
a function or under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

API = Path(__file__).resolve().parents[2] / "src" / "klachten" / "api"


def _private(name: str) -> bool:
    """``_helper`` is private; ``__version__`` and other dunders are not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_of(path: Path, package: Path) -> list[str]:
    """``["klachten", "api", "schemas", "common"]`` for ``…/api/schemas/common.py``."""
    parts = [*path.relative_to(package.parent.parent).with_suffix("").parts]
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported_module(node: ast.ImportFrom, here: list[str], is_package: bool) -> str:
    """The absolute module a ``from … import`` reads from, also for a relative one."""
    if node.level == 0:
        return node.module or ""
    base = here if is_package else here[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _dotted(node: ast.expr) -> list[str]:
    """``["helpers", "_reason"]`` for ``helpers._reason``; empty for anything else."""
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.insert(0, node.attr)
        node = node.value
    return [node.id, *names] if isinstance(node, ast.Name) else []


def offences(source: str, path: Path, package: Path = API) -> list[str]:
    """Every private name of another ``klachten`` module that the module at ``path`` uses:
    imported (``from klachten.api.complaints import _answer``, ``import klachten.x._y``) or
    read as an attribute of an imported ``klachten`` module (``helpers._reason``)."""
    here = _module_of(path, package)
    is_package = path.name == "__init__.py"
    where = path.relative_to(package.parent.parent)
    tree = ast.parse(source)
    found: list[str] = []
    bound: set[str] = set()  # local names that stand for something of another klachten module
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _imported_module(node, here, is_package)
            if module.split(".")[0] != "klachten" or module == ".".join(here):
                continue
            for alias in node.names:
                bound.add(alias.asname or alias.name)
                if _private(alias.name) or any(_private(part) for part in module.split(".")):
                    found.append(f"{where}:{node.lineno}: imports {alias.name} from {module}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] != "klachten":
                    continue
                bound.add(alias.asname or parts[0])
                if any(_private(part) for part in parts):
                    found.append(f"{where}:{node.lineno}: imports {alias.name}")
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            chain = _dotted(node)
            if chain and chain[0] in bound:
                found.append(f"{where}:{node.lineno}: reads {'.'.join(chain)}")
    return found


def api_offences(package: Path = API) -> list[str]:
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        found += offences(path.read_text(encoding="utf-8"), path, package)
    return found


def test_no_api_module_uses_a_private_name_of_another_module() -> None:
    assert api_offences() == []


def test_the_check_sees_a_private_name_taken_from_another_module() -> None:
    """The check itself: private names imported absolutely, relatively, inside a function,
    as a module, or read as an attribute are found; the module's own, dunders, ``_`` for
    gettext and other libraries' private names are not."""
    source = (
        "from django.utils.translation import gettext_lazy as _\n"
        "from ninja.params import _private_of_a_library\n"
        "from klachten import __version__\n"
        "from klachten.api.helpers import caller\n"
        "from klachten.api.complaints import _answer, router\n"  # 5
        "from .helpers import _reason\n"  # 6
        "from . import helpers\n"
        "import klachten.core._internal\n"  # 8
        "import klachten.api.helpers as h\n"
        "from klachten.api.messages import _delivery as delivery\n"  # 10
        "\n"
        "def f():\n"
        "    from klachten.api import _secret\n"  # 13
        "    return helpers._reason, h._local(None), h.local_time(None), _('x')\n"  # 14
        "\n"
        "def _mine():\n"
        "    return router.urls_paths, caller\n"
    )
    found = offences(source, API / "example.py")
    assert [line.split(": ", 1)[0].rsplit(":", 1)[1] for line in found] == [
        "5",
        "6",
        "8",
        "10",
        "13",
        "14",
        "14",
    ], found
    assert "imports _answer from klachten.api.complaints" in found[0]
    assert "imports _reason from klachten.api.helpers" in found[1]
    assert "reads helpers._reason" in found[5]
    assert "reads h._local" in found[6]
    # In the package's __init__, ``from .x import _y`` reads from klachten.api.x, not klachten.x.
    assert (
        "klachten.api.schemas.common"
        in offences("from .common import _no_nul\n", API / "schemas" / "__init__.py")[0]
    )
    # A module's own private names are its own.
    assert offences("from klachten.api.helpers import _reason\n", API / "helpers.py") == []


def test_every_schema_lives_in_the_schemas_package() -> None:
    """Endpoint modules, ``helpers`` and ``errors`` define no ninja schema: they import them."""
    from ninja import Schema

    import klachten.api

    outside = []
    for info in pkgutil.walk_packages(klachten.api.__path__, "klachten.api."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
                and not module.__name__.startswith("klachten.api.schemas")
            ):
                outside.append(f"{module.__name__}.{name}")
    assert outside == []


def test_every_schema_name_in_the_document_belongs_to_one_class() -> None:
    """Two schema classes of one name would share one entry of the OpenAPI document, and one
    of them would be documented wrongly (it happened: ``DeadlinesOut``, ``FindingOut``)."""
    from ninja import Schema

    import klachten.api.schemas as package

    names: dict[str, set[str]] = {}
    for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value.__module__ == info.name
            ):
                names.setdefault(name, set()).add(info.name)
    assert {name: sorted(where) for name, where in names.items() if len(where) > 1} == {}
