"""Optimizers with PyTorch's names and update rules: ``SGD`` (momentum) and ``Adam``.

An optimizer holds the parameters (engine Values) it updates. ``step()`` reads every
``p.data`` and ``p.grad`` into float64 vectors theta and g, applies the rule with numpy
and writes theta back; ``zero_grad()`` sets every ``p.grad`` to 0.

The rule itself is ``update(theta, g) -> theta``, on arrays. The numpy training path of
``fit`` calls it directly with the four formulas' gradients, so both training paths run
the very same update arithmetic.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from engine import Value
from engine.value import get_data, set_data
from engine.walk import GRAD_LOCK
from nn.arrays import Array, real

__all__ = ["SGD", "Adam", "Optimizer"]


def _fraction(value: object, what: str) -> float:
    """A momentum or beta: a real number in [0, 1)."""
    return real(value, what, 0.0, 1.0, open_high=True)


class Optimizer:
    """Base class: the parameter list, ``zero_grad``, ``step`` and the array rule.

    Each parameter may appear once: a repeat raises ValueError naming it (PyTorch warns
    that this will become an error; stepping it twice, or once, would be a silent
    surprise either way).
    """

    def __init__(self, params: Iterable[Value]) -> None:
        if isinstance(params, Value):
            raise TypeError("params must be an iterable of Values, got a single Value")
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        first: dict[int, int] = {}
        for i, p in enumerate(self.params):
            if not isinstance(p, Value):
                raise TypeError(f"params[{i}] must be a Value, got {type(p).__name__}")
            at = first.setdefault(id(p), i)
            if at != i:
                name = repr(p.label) if p.label else "unlabelled"
                raise ValueError(
                    f"params[{i}] is params[{at}] again ({name}): each parameter may "
                    "appear only once"
                )

    def zero_grad(self) -> None:
        """p.grad = 0 for every parameter, between two backward() walks of other
        threads, never inside one (see ``engine.walk.GRAD_LOCK``)."""
        with GRAD_LOCK:
            for p in self.params:
                p.grad = 0.0

    def step(self) -> None:
        """One update of every parameter from its ``grad``."""
        theta = np.fromiter(get_data(self.params), np.float64, len(self.params))
        g = np.fromiter((p.grad for p in self.params), np.float64, len(self.params))
        set_data(self.params, self.update(theta, g).tolist())  # p.data = v for each

    def update(self, theta: Array, grad: Array) -> Array:
        """The rule on arrays: the new theta (in the order of ``params``)."""
        n = len(self.params)
        if theta.shape != (n,) or grad.shape != (n,):
            raise ValueError(
                f"update needs theta and grad of shape ({n},), got {theta.shape} "
                f"and {grad.shape}"
            )
        return self._rule(np.asarray(theta, np.float64), np.asarray(grad, np.float64))

    def _rule(self, theta: Array, grad: Array) -> Array:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's form of momentum (no dampening):

        v <- mu v + g,    theta <- theta - lr v

    with v = 0 before the first step; ``momentum=0`` is plain theta <- theta - lr g.
    """

    def __init__(
        self, params: Iterable[Value], lr: float, momentum: float = 0.0
    ) -> None:
        super().__init__(params)
        self.lr = real(lr, "lr", 0.0, open_low=True)
        self.momentum = _fraction(momentum, "momentum")
        self.velocity = np.zeros(len(self.params))

    def _rule(self, theta: Array, grad: Array) -> Array:
        if self.momentum == 0.0:
            return theta - self.lr * grad
        self.velocity = self.momentum * self.velocity + grad
        return theta - self.lr * self.velocity


class Adam(Optimizer):
    """Adam (Kingma & Ba), as PyTorch's ``Adam`` without weight decay. At step t:

    m <- beta1 m + (1 - beta1) g,        v <- beta2 v + (1 - beta2) g^2
    m_hat = m / (1 - beta1^t),           v_hat = v / (1 - beta2^t)
    theta <- theta - lr m_hat / (sqrt(v_hat) + eps)
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        super().__init__(params)
        self.lr = real(lr, "lr", 0.0, open_low=True)
        if not isinstance(betas, tuple | list) or len(betas) != 2:
            raise TypeError(f"betas must be a pair of numbers, got {betas!r}")
        self.betas = (_fraction(betas[0], "betas[0]"), _fraction(betas[1], "betas[1]"))
        self.eps = real(eps, "eps", 0.0, open_low=True)
        self.t = 0
        self.m = np.zeros(len(self.params))
        self.v = np.zeros(len(self.params))

    def _rule(self, theta: Array, grad: Array) -> Array:
        beta1, beta2 = self.betas
        self.t += 1
        self.m = beta1 * self.m + (1.0 - beta1) * grad
        self.v = beta2 * self.v + (1.0 - beta2) * grad * grad
        m_hat = self.m / (1.0 - beta1**self.t)
        v_hat = self.v / (1.0 - beta2**self.t)
        return np.asarray(theta - self.lr * m_hat / (np.sqrt(v_hat) + self.eps))
