"""The generic top-level names engine, nn and viz are this project's own packages."""

from __future__ import annotations

import importlib
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["engine", "nn", "viz"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_resolves_to_this_projects_files(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__file__ is not None
    assert Path(module.__file__).resolve() == ROOT / name / "__init__.py"
    assert (ROOT / name / "py.typed").is_file()


@pytest.mark.parametrize("name", PACKAGES)
def test_package_exports_exactly_what_all_lists(name: str) -> None:
    module = importlib.import_module(name)
    assert len(set(module.__all__)) == len(module.__all__)
    for exported in module.__all__:
        assert hasattr(module, exported), f"{name}.__all__ names missing {exported}"


def test_the_installed_distribution_is_deltagrad_with_its_command() -> None:
    assert metadata.metadata("deltagrad")["Name"] == "deltagrad"
    (script,) = metadata.entry_points(group="console_scripts", name="deltagrad")
    assert script.value == "viz.cli:main"
    assert callable(script.load())


SHADOWS = [
    ("engine.py", "class Value:\n    pass\n", "from nn import MLP", "engine"),
    ("engine.py", "", "import viz", "engine"),
    ("nn.py", "MLP = None\n", "from viz import render_svg", "nn"),
    ("nn/__init__.py", "", "import viz", "nn"),
]


@pytest.mark.parametrize(("file", "text", "statement", "name"), SHADOWS)
def test_a_learners_own_engine_or_nn_file_is_named_at_import(
    tmp_path: Path, file: str, text: str, statement: str, name: str
) -> None:
    """A micrograd-style engine.py or nn.py (or a folder of that name) in the
    working folder comes first on sys.path; importing this project's packages then
    stops at once, naming it. (An nn.py hides ``nn`` itself: then ``import nn`` is
    the learner's file and no code of this project runs; see engine/shadowing.py.)"""
    shadow = tmp_path / file
    shadow.parent.mkdir(parents=True, exist_ok=True)
    shadow.write_text(text)
    done = subprocess.run(
        [sys.executable, "-c", statement],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("engine.shadowing.ShadowedPackageError: ")
    assert f"'import {name}' finds {shadow}" in last
    assert "rename it" in last


STATEMENT = "from nn import MLP; import viz; print(MLP.__module__)"


def test_without_a_shadow_the_same_imports_work(tmp_path: Path) -> None:
    (tmp_path / "notes.py").write_text("")
    done = subprocess.run(
        [sys.executable, "-c", STATEMENT],
        cwd=tmp_path,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout) == (0, "nn.mlp\n"), done.stderr
