"""``deltagrad compare``: the table of autograd against BP1-BP4, and its exit status."""

from __future__ import annotations

import shutil

import pytest

from tests.cli.helpers import Run


def test_compare_prints_the_table_and_exits_0(deltagrad: Run) -> None:
    result = deltagrad("compare", "--sizes", "2,3,1", "--seed", "3", "--batch", "4")
    assert result.status == 0, result.err
    for row in ("BP1", "BP2", "BP3", "BP4", "delta^3", "dC/dw^2"):
        assert row in result.out
    assert "all within tolerance" in result.out


def test_compare_with_other_activations_and_defaults(deltagrad: Run) -> None:
    result = deltagrad("compare", "--activation", "tanh")
    assert result.status == 0, result.err
    assert "MLP [2, 3, 1] (tanh)" in result.out


@pytest.mark.usefixtures("no_dot")
def test_the_dot_program_is_needed_only_for_pictures(deltagrad: Run) -> None:
    assert shutil.which("dot") is None
    result = deltagrad("compare")
    assert result.status == 0, result.err
