"""Training that fails out loud: divergence, saturated sigmoids and dead ReLU layers.

``fit`` hands a :class:`Monitor` the weights after every epoch. It looks at them and
at the forward pass of the whole training set through them, and

* raises :class:`TrainingDivergedError` (training stops) when a weight or the cost
  is inf or nan;
* warns :class:`DivergenceWarning` when the weights or the cost explode while still
  finite: some |w| or |b| above ``WEIGHT_LIMIT``, or the mean cost above
  ``COST_GROWTH`` times its value before training;
* warns :class:`SaturationWarning` when a sigmoid layer is saturated: at least
  ``SATURATED_SHARE`` of its outputs a^l_j over the training set lie within
  ``SATURATION_MARGIN`` of 0 or 1, where sigma'(z) = a (1 - a) < 1e-6 and the
  gradient through them vanishes;
* warns :class:`DeadReLUWarning` when a ReLU layer is dead: no unit has z^l_j > 0 on
  any training sample, so relu' = 0 everywhere and no gradient reaches the layers
  below (nor its own weights) ever again.

Each warning is given once per run (and per layer), at the first epoch its
condition holds; every warning is a :class:`TrainingWarning` (a ``UserWarning``), so
``warnings.simplefilter("error", nn.TrainingWarning)`` turns them all into errors.

The thresholds, measured: sigmoid nets trained for 100-200 epochs at lr 0.3-30 on
every built-in data set end with max |w| <= 45 and at most 98 % of a layer within
1e-6 of 0 or 1; lr 1e3 and above gives |w| of 1e3-1e4 and more, and 100 % saturated
output layers. (A float64 sigmoid is 1 to within 1e-16 from z = 37 on.)
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import numpy.typing as npt

from nn import backprop
from nn.arrays import Array

__all__ = [
    "COST_GROWTH",
    "SATURATED_SHARE",
    "SATURATION_MARGIN",
    "WEIGHT_LIMIT",
    "DeadReLUWarning",
    "DivergenceWarning",
    "Monitor",
    "SaturationWarning",
    "TrainingDivergedError",
    "TrainingWarning",
]

#: A weight or bias beyond this size means the run is diverging: trained sigmoid
#: nets stay below 50, and at |z| >= 37 a sigmoid unit is flat in float64.
WEIGHT_LIMIT = 1e3

#: The mean cost per sample above this many times its value before training means
#: the run is diverging.
COST_GROWTH = 1e3

#: A sigmoid output a within this of 0 or 1 is saturated: sigma' = a (1 - a) < 1e-6.
SATURATION_MARGIN = 1e-6

#: A sigmoid layer with at least this share of saturated outputs is saturated.
SATURATED_SHARE = 0.99


class TrainingWarning(UserWarning):
    """Training runs but goes wrong: the base of every warning ``fit`` gives."""


class DivergenceWarning(TrainingWarning):
    """The weights or the cost explode (still finite): see ``WEIGHT_LIMIT`` and
    ``COST_GROWTH``."""


class SaturationWarning(TrainingWarning):
    """Nearly every output of a sigmoid layer is 0 or 1 to within 1e-6."""


class DeadReLUWarning(TrainingWarning):
    """A ReLU layer is inactive on every training sample."""


class TrainingDivergedError(ValueError):
    """A weight or the cost became inf or nan: training stopped. (A ValueError,
    as the learning rate given is what fails; the command line exits 1.)"""


class Monitor:
    """Watches one ``fit`` run of a net on the training inputs ``x`` and targets
    ``y`` (rows of ``to_targets``) with cost ``loss`` at learning rate ``lr``.

    ``check(epoch, W, B)`` after each epoch raises or warns as the module docstring
    says.
    """

    def __init__(
        self,
        W: list[Array],
        B: list[Array],
        x: Array,
        y: npt.NDArray[np.generic],
        *,
        loss: str,
        lr: float,
        activation: str,
        output_activation: str,
    ) -> None:
        self.x = x
        self.y = y
        self.loss = loss
        self.lr = lr
        self.activation = activation
        self.output_activation = output_activation
        self.given: set[tuple[str, int]] = set()  # the warnings given: (kind, layer)
        self._queued: list[tuple[type[TrainingWarning], str]] = []
        self.initial_cost = self._cost(self._forward(W, B))

    def _forward(self, W: list[Array], B: list[Array]) -> backprop.Forward:
        with np.errstate(over="ignore", invalid="ignore"):
            return backprop.forward(
                W, B, self.x, self.activation, self.output_activation
            )

    def _cost(self, fw: backprop.Forward) -> float:
        with np.errstate(over="ignore", invalid="ignore"):
            return float(
                np.mean(backprop.cost_per_sample(fw.output, self.y, self.loss))
            )

    def _warn(
        self, kind: type[TrainingWarning], layer: int, message: str
    ) -> None:
        """Queue the warning, unless given before in this run."""
        if (kind.__name__, layer) not in self.given:
            self.given.add((kind.__name__, layer))
            self._queued.append((kind, message))

    def check(self, epoch: int, W: list[Array], B: list[Array]) -> None:
        """After epoch ``epoch`` (from 1), with weights W and biases B."""
        where = f"in epoch {epoch} (lr {self.lr:g})"
        theta = np.concatenate([a.ravel() for a in (*W, *B)])
        extreme = float(theta[np.argmax(np.abs(theta))])  # nan if there is one
        if np.isnan(theta).any():
            extreme = math.nan
        largest = abs(extreme)
        if not math.isfinite(largest):
            raise TrainingDivergedError(
                f"training diverged {where}: a weight became "
                f"{'nan' if math.isnan(largest) else 'inf'} (try a smaller lr)"
            )
        fw = self._forward(W, B)
        cost = self._cost(fw)
        if not math.isfinite(cost):
            raise TrainingDivergedError(
                f"training diverged {where}: the cost became {cost} (try a smaller lr)"
            )
        if largest > WEIGHT_LIMIT:
            self._warn(
                DivergenceWarning,
                0,
                f"training is diverging {where}: a weight reached {extreme:.4g}, "
                f"beyond {WEIGHT_LIMIT:g} (try a smaller lr)",
            )
        elif self.initial_cost > 0.0 and cost > COST_GROWTH * self.initial_cost:
            self._warn(
                DivergenceWarning,
                0,
                f"training is diverging {where}: the cost rose from "
                f"{self.initial_cost:.4g} to {cost:.4g}, over {COST_GROWTH:g} times "
                "(try a smaller lr)",
            )
        self._check_layers(epoch, fw)
        for kind, message in self._queued:
            warnings.warn(message, kind, stacklevel=3)  # at the line calling fit
        self._queued.clear()

    def _check_layers(self, epoch: int, fw: backprop.Forward) -> None:
        n_layers = len(fw.zs)
        for i, (z, a) in enumerate(zip(fw.zs, fw.activations[1:], strict=True)):
            layer = i + 2
            f = self.output_activation if i == n_layers - 1 else self.activation
            if f == "sigmoid":
                near = (a < SATURATION_MARGIN) | (a > 1.0 - SATURATION_MARGIN)
                share = float(np.mean(near))
                if share >= SATURATED_SHARE:
                    self._warn(
                        SaturationWarning,
                        layer,
                        f"the sigmoid layer {layer} is saturated in epoch {epoch}: "
                        f"{share:.1%} of its outputs on the training set lie within "
                        f"{SATURATION_MARGIN:g} of 0 or 1, where its gradient "
                        f"vanishes (lr {self.lr:g}; try a smaller one)",
                    )
            elif f == "relu" and not bool(np.any(z > 0.0)):
                self._warn(
                    DeadReLUWarning,
                    layer,
                    f"the ReLU layer {layer} is dead in epoch {epoch}: none of its "
                    f"{z.shape[-1]} units is active (z > 0) on any training sample, "
                    f"so no gradient flows through it (lr {self.lr:g}; try a smaller "
                    "one, or another seed)",
                )
