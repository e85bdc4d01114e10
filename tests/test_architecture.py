"""House rules that a test can see (ARCHITECTURE.md, STYLE.md 6)."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "src" / "klachten" / "domain"
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Rules whose features later work brings; each must leave this set once a test cites it.
NOT_YET_BUILT: set[str] = set()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_domain_core_imports_no_django():
    """The pure core decides every rule without the framework (ARCHITECTURE.md)."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in _imports(path) if name.split(".")[0] in {"django", "ninja", "huey"}
        )
        for path in DOMAIN.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
    assert len(offenders) >= 5  # workdays, deadlines, lifecycle, wording (+ __init__)


def test_every_rule_is_cited_by_a_test():
    """Each of R1–R17 is pinned by at least one test; the not-yet-built list only shrinks."""
    cited: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        if path.name == Path(__file__).name:
            continue
        cited.update(re.findall(r"\bR(?:1[0-7]|[1-9])\b", path.read_text(encoding="utf-8")))
    every_rule = {f"R{number}" for number in range(1, 18)}
    assert every_rule - cited == NOT_YET_BUILT
    assert cited & NOT_YET_BUILT == set(), "a rule got tests: take it off NOT_YET_BUILT"


def test_every_setting_is_documented_in_the_readme():
    """CONTRACT.md's environment variables all appear in the README's configuration table."""
    for name in [
        "KLACHTEN_DATA_DIR",
        "DATABASE_URL",
        "EMAIL_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DEBUG",
        "REDIS_URL",
    ]:
        assert f"`{name}`" in README, name
    config = ROOT / "src" / "klachten" / "config"
    settings_source = (config / "settings.py").read_text() + (config / "security.py").read_text()
    for name in re.findall(r'environ(?:\.get)?\(\s*"([A-Z_]+)"', settings_source) + re.findall(
        r'env_(?:bool|list)\("([A-Z_]+)"', settings_source
    ):
        assert f"`{name}`" in README, f"{name} is read by settings.py but not documented"


def test_every_command_is_documented_in_the_readme(settings: object) -> None:
    """Every command of ours that Django knows (CONTRACT.md) is in the README."""
    from django.core.management import get_commands

    ours = sorted(name for name, app in get_commands().items() if app.startswith("klachten."))
    assert len(ours) >= 8, ours  # serve, worker, backup, restore, demo, retention, report, …
    for name in ours:
        assert f"klachten {name}" in README, name


def test_the_readme_opens_with_the_two_set_up_commands():
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", README, flags=re.S)
    assert blocks[0].strip().endswith("klachten serve")
    assert blocks[1].strip() == "scripts/test"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "scripts/test" in ci


def test_holidays_is_pinned_exactly():
    """R3/R16: an upgrade of the holiday data is a deliberate, tested change."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    [pin] = [dep for dep in project["dependencies"] if dep.startswith("holidays")]
    assert re.fullmatch(r"holidays==\d+\.\d+(\.\d+)?", pin)
