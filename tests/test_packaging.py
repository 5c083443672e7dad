"""The generic top-level names engine, nn and viz are this project's own packages."""

from __future__ import annotations

import importlib
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
