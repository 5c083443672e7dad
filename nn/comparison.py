"""Autograd against the four formulas, layer by layer: ``compare(net, x, y)``.

Three independent ways to get the same derivatives of the cost C of one net:

1. autograd: the engine's ``backward()`` through the net's graph. Because z^l_j is a
   node, ``z.grad`` *is* delta^l_j, so deltas are compared too, not only dC/dw, dC/db;
2. the formulas: ``backprop.gradients`` (BP1 delta^L, BP2 delta^l, BP3 dC/db,
   BP4 dC/dw);
3. central differences of C, evaluated by the numpy forward pass only:
   dC/dtheta ~ (C(theta + eps) - C(theta - eps)) / (2 eps) for each weight and bias,
   and for delta^l_j the same with z^l_j itself moved (the rest of the forward pass
   recomputed from z^l).

Per layer and formula the report gives max |autograd - formula| and the largest
relative difference |g - h| / max(|g|, |h|) (0 where both are 0), and the largest gaps
of autograd and of the formula to central differences. A row is ok when every entry
of autograd and formula agrees within ``atol`` (absolute) or ``rtol`` (relative), and
both pass the central-difference test |g - n| <= fd_atol + fd_rtol |n| of
``engine.gradcheck``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nn import backprop
from nn.arrays import Array
from nn.losses import LOSSES
from nn.mlp import MLP
from nn.names import COSTS, one_of

__all__ = ["Comparison", "ComparisonRow", "autograd_gradients", "compare"]


@dataclass(frozen=True)
class ComparisonRow:
    """One formula at one layer: autograd vs formula vs central differences."""

    layer: int
    formula: str  # "BP1", "BP2", "BP3" or "BP4"
    quantity: str  # "delta^l", "dC/db^l" or "dC/dw^l"
    max_abs_diff: float  # max |autograd - formula|
    max_rel_diff: float  # max |autograd - formula| / max(|autograd|, |formula|)
    autograd_vs_cd: float  # max |autograd - central difference|
    formula_vs_cd: float  # max |formula - central difference|
    agree: bool  # autograd == formula within atol or rtol, entry by entry
    cd_ok: bool  # both within the gradcheck tolerance of central differences

    @property
    def ok(self) -> bool:
        """Both checks hold."""
        return self.agree and self.cd_ok


@dataclass(frozen=True)
class Comparison:
    """The report of ``compare``: a row per layer and formula, printable as a table."""

    rows: list[ComparisonRow]
    atol: float
    rtol: float
    fd_atol: float
    fd_rtol: float
    eps: float

    @property
    def ok(self) -> bool:
        """True when every row is within tolerance."""
        return all(r.ok for r in self.rows)

    @property
    def max_abs_diff(self) -> float:
        """The largest |autograd - formula| over every row."""
        return max(r.max_abs_diff for r in self.rows)

    def _table(self) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """The column names and a row of texts per ComparisonRow."""
        head: tuple[str, ...] = (
            "layer",
            "formula",
            "quantity",
            "max|autograd-formula|",
            "max rel diff",
            "max|autograd-c.d.|",
            "max|formula-c.d.|",
            "ok",
        )
        body: list[tuple[str, ...]] = [
            (
                str(r.layer),
                r.formula,
                r.quantity,
                f"{r.max_abs_diff:.3e}",
                f"{r.max_rel_diff:.3e}",
                f"{r.autograd_vs_cd:.3e}",
                f"{r.formula_vs_cd:.3e}",
                "yes" if r.ok else "NO",
            )
            for r in self.rows
        ]
        return head, body

    def _verdict(self) -> str:
        verdict = "all within tolerance" if self.ok else "SOME ROWS OUT OF TOLERANCE"
        return (
            f"{verdict} (autograd vs formula: {self.atol:g} abs or {self.rtol:g} rel; "
            f"vs central differences, eps={self.eps:g}: {self.fd_atol:g} + "
            f"{self.fd_rtol:g} |c.d.|)"
        )

    def __str__(self) -> str:
        head, body = self._table()
        widths = [max(len(row[i]) for row in [head, *body]) for i in range(len(head))]
        lines = [
            "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))
            for row in [head, *body]
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append(self._verdict())
        return "\n".join(line.rstrip() for line in lines)

    def __repr__(self) -> str:
        """One line: the number of rows, the verdict and the largest difference."""
        verdict = "all within tolerance" if self.ok else "some rows out of tolerance"
        return (
            f"Comparison({len(self.rows)} rows, {verdict}, max|autograd-formula| "
            f"{self.max_abs_diff:.3e})"
        )

    def _repr_html_(self) -> str:
        """The table of ``str`` as an HTML table, for Jupyter."""
        head, body = self._table()

        def row(cells: tuple[str, ...], tag: str) -> str:
            return "<tr>" + "".join(
                f"<{tag}>{html.escape(c)}</{tag}>" for c in cells
            ) + "</tr>"

        rows = "".join(row(r, "td") for r in body)
        return (
            f"<table><thead>{row(head, 'th')}</thead><tbody>{rows}</tbody></table>"
            f"<p>{html.escape(self._verdict())}</p>"
        )


def autograd_gradients(
    net: MLP, xs: Array, ys: Array, cost: str = "mse"
) -> tuple[list[Array], list[Array], list[Array]]:
    """What the engine finds for C = sum of the costs of the rows of ``xs``:
    deltas (m, n_l) read off z.grad, and dC/dw, dC/db accumulated over the m samples
    (the net's grads are zeroed first and hold dC/dtheta afterwards)."""
    loss = LOSSES[one_of(cost, COSTS, "cost")]
    net.zero_grad()
    traces = []
    for xi, yi in zip(xs.tolist(), ys.tolist(), strict=True):
        trace = net.trace(xi)
        loss(trace.activations[-1], yi).backward()
        traces.append(trace)
    deltas = [
        np.array([[z.grad for z in t.zs[i]] for t in traces], dtype=np.float64)
        for i in range(len(net.layers))
    ]
    w_grads = [
        np.array([[p.grad for p in n.w] for n in layer.neurons], dtype=np.float64)
        for layer in net.layers
    ]
    b_grads = [
        np.array([n.b.grad for n in layer.neurons], dtype=np.float64)
        for layer in net.layers
    ]
    return deltas, w_grads, b_grads


def _central(
    W: list[Array],
    B: list[Array],
    xs: Array,
    ys: Array,
    *,
    acts: tuple[str, str],
    cost: str,
    eps: float,
) -> tuple[list[Array], list[Array], list[Array]]:
    """Central differences of C for every delta^l_j (per sample), w and b."""

    def c_of_z(l: int, z: Array) -> Array:  # noqa: E741 - the seed's layer index
        a_L = backprop.forward_from(W, B, l, z, acts[0], output_activation=acts[1])
        return backprop.cost_per_sample(a_L, ys, cost)

    def c_of(i: int, which: str, idx: tuple[int, ...], step: float) -> float:
        Wm, Bm = [w.copy() for w in W], [b.copy() for b in B]
        (Wm if which == "w" else Bm)[i][idx] += step
        return backprop.cost(
            Wm, Bm, xs, ys, acts[0], output_activation=acts[1], cost=cost
        )

    fw = backprop.forward(W, B, xs, *acts)
    deltas: list[Array] = []
    w_grads: list[Array] = []
    b_grads: list[Array] = []
    for i in range(len(W)):
        d = np.empty_like(fw.zs[i])
        for j in range(d.shape[1]):
            up, down = fw.zs[i].copy(), fw.zs[i].copy()
            up[:, j] += eps
            down[:, j] -= eps
            d[:, j] = (c_of_z(i + 2, up) - c_of_z(i + 2, down)) / (2.0 * eps)
        deltas.append(d)
        for which, params, grads in (("w", W, w_grads), ("b", B, b_grads)):
            g = np.empty_like(params[i])
            for idx in np.ndindex(*params[i].shape):
                g[idx] = (c_of(i, which, idx, eps) - c_of(i, which, idx, -eps)) / (
                    2.0 * eps
                )
            grads.append(g)
    return deltas, w_grads, b_grads


def _max(x: npt.NDArray[Any]) -> float:
    return float(np.max(x)) if x.size else 0.0


def compare(
    net: MLP,
    x: npt.ArrayLike,
    y: npt.ArrayLike,
    *,
    cost: str = "mse",
    eps: float = 1e-6,
    atol: float = 1e-10,
    rtol: float = 1e-9,
    fd_atol: float = 1e-5,
    fd_rtol: float = 1e-3,
) -> Comparison:
    """Compare autograd, BP1-BP4 and central differences on ``net`` at (x, y).

    ``x`` is one sample (n_1,) or a batch (m, n_1); ``y`` the targets, (n_L,) or
    (m, n_L); C is the sum of the samples' costs (``cost`` "mse", "bce" or
    "cross_entropy": for that one the net's output layer is linear, its a^L the
    logits, and each row of y one-hot or class probabilities). As a side effect the
    net's parameters hold dC/dtheta in ``grad`` afterwards, as after ``backward()``.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"compare needs an MLP, got {type(net).__name__}")
    W, B = net.weights(), net.biases()
    acts = (net.activation, net.output_activation)
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    formula = backprop.gradients(
        W, B, xa, ya, acts[0], output_activation=acts[1], cost=cost
    )
    xs, ys = np.atleast_2d(xa), np.atleast_2d(ya)
    auto = autograd_gradients(net, xs, ys, cost)
    cd = _central(W, B, xs, ys, acts=acts, cost=cost, eps=eps)
    f_deltas = [np.atleast_2d(d) for d in formula.deltas]
    found = {
        "delta": (auto[0], f_deltas, cd[0]),
        "b": (auto[2], formula.bias_grads, cd[2]),
        "w": (auto[1], formula.weight_grads, cd[1]),
    }
    n = len(W)
    rows = []
    for i in range(n - 1, -1, -1):
        l = i + 2  # noqa: E741 - the seed's layer index
        for key, name, quantity in (
            ("delta", "BP1" if i == n - 1 else "BP2", f"delta^{l}"),
            ("b", "BP3", f"dC/db^{l}"),
            ("w", "BP4", f"dC/dw^{l}"),
        ):
            g, h, c = (arr[i] for arr in found[key])
            gap = np.abs(g - h)
            scale = np.maximum(np.abs(g), np.abs(h))
            rel = np.divide(gap, scale, out=np.zeros_like(gap), where=scale > 0)
            g_cd, h_cd = np.abs(g - c), np.abs(h - c)
            tol = fd_atol + fd_rtol * np.abs(c)
            rows.append(
                ComparisonRow(
                    layer=l,
                    formula=name,
                    quantity=quantity,
                    max_abs_diff=_max(gap),
                    max_rel_diff=_max(rel),
                    autograd_vs_cd=_max(g_cd),
                    formula_vs_cd=_max(h_cd),
                    agree=bool(np.all((gap <= atol) | (rel <= rtol))),
                    cd_ok=bool(np.all(g_cd <= tol) and np.all(h_cd <= tol)),
                )
            )
    return Comparison(rows, atol, rtol, fd_atol, fd_rtol, eps)
