"""Target 5: the four formulas in numpy against PyTorch's autograd on the CPU.

The net is 784-30-10, sigmoid, quadratic cost summed over the batch, float64 on both
sides, one BLAS thread each. One step is the forward pass plus every gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.report import Row, Skipped, median_seconds
from nn import backprop
from nn.backprop import Array
from nn.mlp import initial_arrays

__all__ = ["four_formulas_vs_torch"]


def _batch_row(torch: Any, batch: int, target: float, repeats: int) -> Row:
    W, B = initial_arrays([784, 30, 10], seed=0)
    rng = np.random.default_rng(batch)
    x = rng.random((batch, 784))
    y = np.eye(10)[rng.integers(0, 10, batch)]
    tW = [torch.tensor(w, requires_grad=True) for w in W]
    tB = [torch.tensor(b, requires_grad=True) for b in B]
    tx, ty = torch.tensor(x), torch.tensor(y)

    def torch_step() -> list[Array]:
        for p in (*tW, *tB):
            p.grad = None
        a = tx
        for w, b in zip(tW, tB, strict=True):
            a = torch.sigmoid(a @ w.T + b)
        cost = 0.5 * ((a - ty) ** 2).sum()
        cost.backward()
        return [p.grad.numpy() for p in tW]

    def numpy_step() -> list[Array]:
        return backprop.gradients(W, B, x, y).weight_grads

    ours, theirs = numpy_step(), torch_step()
    scale = max(float(np.abs(g).max()) for g in theirs)
    gap = max(float(np.abs(a - b).max()) for a, b in zip(ours, theirs, strict=True))
    t_numpy = median_seconds(numpy_step, repeats)
    t_torch = median_seconds(torch_step, repeats)
    ratio = t_torch / t_numpy
    return Row(
        f"5. BP1-BP4 784-30-10, batch {batch}",
        f"{t_numpy * 1e6:.0f} us",
        f"torch {t_torch * 1e6:.0f} us",
        ratio,
        f">= {target:g}x faster, grads equal to 1e-12 (here {gap / scale:.0e})",
        ratio >= target and gap <= 1e-12 * scale,
    )


def four_formulas_vs_torch(repeats: int) -> list[Row | Skipped]:
    """Target 5: >= 1.5x PyTorch at batch 10, >= 1.0x at batch 1000."""
    try:
        import torch  # noqa: PLC0415 - optional dependency
    except ImportError:
        return [
            Skipped(
                "5. BP1-BP4 vs PyTorch",
                "torch not installed (pip install -e '.[bench]')",
            )
        ]
    torch.set_num_threads(1)
    return [_batch_row(torch, 10, 1.5, repeats), _batch_row(torch, 1000, 1.0, repeats)]
