"""Refuse to run with someone else's ``engine``, ``nn`` or ``viz`` first on the path.

A learner who followed a micrograd lecture often has an ``engine.py`` or ``nn.py`` in
the folder they work in, and Python puts that folder first on ``sys.path``; then this
project's ``nn`` would import *their* ``engine`` and fail deep inside with a confusing
error. ``nn`` and ``viz`` call :func:`check_packages` for the packages they import
before importing them, and stop at once with an ImportError that names the file in
the way. (A learner's own ``nn.py`` or ``viz.py`` hides this project's package of that
very name: ``from nn import MLP`` then imports their file, and no code of this project
runs to say so; Python's own error names that file.) Standard library only: it must
work whatever ``engine`` resolves to, so ``nn`` and ``viz`` run this file by its path
(``runpy.run_path``), not by import.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

__all__ = ["PACKAGES", "ShadowedPackageError", "check_packages"]

#: The project's import packages; they sit side by side in one folder.
PACKAGES = ("engine", "nn", "viz")

_HOME = Path(__file__).resolve().parent.parent


class ShadowedPackageError(ImportError):
    """An import name of this project resolves to another file or package."""


def _found_at(name: str) -> str | None:
    """Where ``import name`` finds its module, without importing it (None: nowhere)."""
    module = sys.modules.get(name)
    if module is not None:
        return getattr(module, "__file__", None) or repr(module)
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    return spec.origin or ", ".join(spec.submodule_search_locations or ()) or None


def check_packages(*names: str) -> None:
    """Raise ShadowedPackageError unless each of ``names`` (from ``PACKAGES``)
    resolves to this project's own package, the folder beside this one.

    Folders are compared, not files, so a copy installed without sources (only
    ``__init__.pyc``) is recognised too.
    """
    for name in names:
        expected = _HOME / name
        found = _found_at(name)
        if found is not None and Path(found).resolve().parent == expected:
            continue
        where = "nothing" if found is None else found
        if found is not None and Path(found).is_dir():  # a folder without __init__
            what = f"the folder {found}"
        elif found is not None and Path(found).name.startswith("__init__."):
            what = f"the folder {Path(found).parent}"
        else:
            what = f"the file {where}"
        raise ShadowedPackageError(
            f"deltagrad needs its own package {name!r} ({expected}), but "
            f"'import {name}' finds {where}. {what[0].upper()}{what[1:]} (in your "
            f"working folder, or earlier on sys.path) shadows it: rename it (e.g. "
            f"to my_{name}) and run again.",
            name=name,
            path=found,
        )
