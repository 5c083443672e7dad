"""The engine's scalar API on one-element PyTorch tensors (float64), so that one
program runs in both libraries and their values and gradients can be compared.

A program is a function ``f(m, *xs)``: ``xs`` are the inputs (engine Values, or
``Twin`` tensors here), ``m`` the namespace of the library's free functions
(``engine`` itself, or ``TWIN`` here: ``maximum``, ``minimum``). Everything a Value
offers that the tests use has its PyTorch counterpart below. torch is imported only
when a program is run, and a test that runs one is skipped without it.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

__all__ = ["TWIN", "Twin", "run_in_torch"]


def _torch() -> Any:
    return pytest.importorskip("torch")


def _tensor(x: object) -> Any:
    """A Twin's tensor, or a number as a float64 constant tensor."""
    if isinstance(x, Twin):
        return x.t
    return _torch().tensor(float(x), dtype=_torch().float64)  # type: ignore[arg-type]


class Twin:
    """A one-element float64 tensor with the methods and operators of a Value."""

    __slots__ = ("t",)

    def __init__(self, t: Any) -> None:
        self.t = t

    @property
    def data(self) -> float:
        return float(self.t.item())

    def __add__(self, other: object) -> Twin:
        return Twin(self.t + _tensor(other))

    def __radd__(self, other: object) -> Twin:
        return Twin(_tensor(other) + self.t)

    def __sub__(self, other: object) -> Twin:
        return Twin(self.t - _tensor(other))

    def __rsub__(self, other: object) -> Twin:
        return Twin(_tensor(other) - self.t)

    def __mul__(self, other: object) -> Twin:
        return Twin(self.t * _tensor(other))

    def __rmul__(self, other: object) -> Twin:
        return Twin(_tensor(other) * self.t)

    def __truediv__(self, other: object) -> Twin:
        return Twin(self.t / _tensor(other))

    def __rtruediv__(self, other: object) -> Twin:
        return Twin(_tensor(other) / self.t)

    def __pow__(self, other: object) -> Twin:
        # a number exponent stays a Python number, as the engine's constant power
        exponent = other.t if isinstance(other, Twin) else float(other)  # type: ignore[arg-type]
        return Twin(self.t**exponent)

    def __rpow__(self, other: object) -> Twin:
        return Twin(_tensor(other) ** self.t)

    def __neg__(self) -> Twin:
        return Twin(-self.t)

    def _compare(self, result: Any) -> Twin:
        return Twin(result.to(_torch().float64))  # a bool tensor: no gradient

    def __lt__(self, other: object) -> Twin:
        return self._compare(self.t < _tensor(other))

    def __le__(self, other: object) -> Twin:
        return self._compare(self.t <= _tensor(other))

    def __gt__(self, other: object) -> Twin:
        return self._compare(self.t > _tensor(other))

    def __ge__(self, other: object) -> Twin:
        return self._compare(self.t >= _tensor(other))

    def exp(self) -> Twin:
        return Twin(self.t.exp())

    def log(self) -> Twin:
        return Twin(self.t.log())

    def tanh(self) -> Twin:
        return Twin(self.t.tanh())

    def sigmoid(self) -> Twin:
        return Twin(self.t.sigmoid())

    def relu(self) -> Twin:
        return Twin(self.t.relu())

    def abs(self) -> Twin:
        return Twin(self.t.abs())

    def sqrt(self) -> Twin:
        return Twin(self.t.sqrt())

    def sin(self) -> Twin:
        return Twin(self.t.sin())

    def cos(self) -> Twin:
        return Twin(self.t.cos())

    def leaky_relu(self, negative_slope: float = 0.01) -> Twin:
        functional = _torch().nn.functional
        return Twin(functional.leaky_relu(self.t, negative_slope))


def _stack(xs: list[Any]) -> Any:
    return _torch().stack([_tensor(x) for x in xs])


def _weighted_input(w: list[Any], a: list[Any], b: Any) -> Twin:
    return Twin((_stack(w) * _stack(a)).sum() + _tensor(b))


def _cross_entropy(zs: list[Any], target: Any) -> Twin:
    functional = _torch().nn.functional
    if isinstance(target, int):
        target = _torch().tensor([target])
    else:
        target = _torch().tensor([target], dtype=_torch().float64)
    return Twin(functional.cross_entropy(_stack(zs).unsqueeze(0), target))


#: The free functions of the engine (and of engine.fused), on Twins (and numbers).
TWIN = SimpleNamespace(
    maximum=lambda a, b: Twin(_torch().maximum(_tensor(a), _tensor(b))),
    minimum=lambda a, b: Twin(_torch().minimum(_tensor(a), _tensor(b))),
    weighted_input=_weighted_input,
    half_sum_of_squares=lambda r: Twin(0.5 * (_stack(r) ** 2).sum()),
    softmax=lambda zs: [Twin(t) for t in _stack(zs).softmax(0)],
    log_softmax=lambda zs: [Twin(t) for t in _stack(zs).log_softmax(0)],
    class_cross_entropy=_cross_entropy,
    soft_cross_entropy=_cross_entropy,
)


def run_in_torch(
    f: Callable[..., Any], inputs: list[float], seed: float = 1.0
) -> tuple[float, list[float]]:
    """f(TWIN, *xs) on float64 leaves xs that require grad, back-propagated from
    ``seed``: (its value, each input's grad, 0.0 where PyTorch leaves it None)."""
    torch = _torch()
    xs = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in inputs]
    out = f(TWIN, *[Twin(x) for x in xs])
    if out.t.requires_grad:
        out.t.backward(torch.tensor(seed, dtype=torch.float64))
    grads = [0.0 if x.grad is None else float(x.grad.item()) for x in xs]
    return float(out.t.item()), grads
