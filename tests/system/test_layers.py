"""The import contracts of docs/architecture.md catch a wrong import.

Each test copies the Python sources to a temporary folder, adds one import that breaks a
layer, and runs ``lint-imports`` on the copy with the project's own contracts: it must fail
and name the broken rule. The untouched copy must pass, so a failure is the import's doing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "pontio"


def _lint_imports() -> str:
    found = Path(sys.executable).with_name("lint-imports")
    if found.exists():
        return str(found)
    which = shutil.which("lint-imports")
    if which is None:
        pytest.fail("lint-imports is not installed (it is in the dev dependencies)")
    return which


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The Python sources of ``pontio`` under ``tmp_path/pontio`` (no data or templates)."""
    for path in SOURCE.rglob("*.py"):
        target = tmp_path / "pontio" / path.relative_to(SOURCE)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return tmp_path


def _run(copy: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603  (our own tool, fixed arguments)
        [_lint_imports(), str(ROOT / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=copy,
        env={"PYTHONPATH": str(copy), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _add_import(copy: Path, module: str, statement: str) -> None:
    path = copy / "pontio" / (module.replace(".", "/") + ".py")
    if not path.exists():  # a package
        path = path.with_suffix("") / "__init__.py"
    path.write_text(path.read_text() + f"\n{statement}  # deliberately wrong\n")


def test_the_sources_as_they_are_keep_every_contract(copy: Path) -> None:
    result = _run(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "statement", "broken"),
    [
        # the kernel knows no app
        ("core.models", "from pontio.accounts import models", "pontio.core is not allowed"),
        # the audit log records events without knowing the apps that make them
        ("audit.services", "import pontio.people.models", "pontio.audit is not allowed"),
        # people never import referrals
        ("people.services", "import pontio.referrals.models", "pontio.people is not allowed"),
        # referrals never import the processes built on them
        ("referrals.routing", "import pontio.stopsearch.models", "pontio.referrals is not"),
        # nothing imports a dashboard
        (
            "stopsearch.services",
            "import pontio.referrals.dashboard",
            "protected package pontio.referrals.dashboard",
        ),
    ],
)
def test_a_wrong_import_breaks_a_contract(
    copy: Path, module: str, statement: str, broken: str
) -> None:
    _add_import(copy, module, statement)
    result = _run(copy)
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout
    assert broken in " ".join(result.stdout.split()), result.stdout
