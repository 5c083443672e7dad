"""``Module``: something that owns parameters, with PyTorch's names and meaning.

A module owns parameters (engine ``Value`` leaves) and sub-modules. Its parameters are
its own followed by its sub-modules', in order, so the order is always the same.

* ``named_parameters()`` -> [(name, p)]; a parameter's name is its label, the seed's
  ``w[l][j][k]`` or ``b[l][j]``.
* ``parameters()`` -> [p]: what an optimizer updates.
* ``zero_grad()``: p.grad = 0 for every parameter (gradients accumulate across
  ``backward()`` calls, as in PyTorch).
* ``state_dict()`` -> {name: float} and ``load_state_dict(state, strict=True)``.

Unlike PyTorch these return lists and plain floats (every parameter is a scalar).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

from engine import Value
from engine.value import as_float
from engine.walk import GRAD_LOCK

__all__ = ["IncompatibleKeys", "Module"]


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` could not match (PyTorch's name)."""

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of ``Neuron``, ``Layer`` and ``MLP``.

    Subclasses override ``own_parameters()`` (parameters held directly) and/or
    ``children()`` (sub-modules); everything else follows from those two.
    """

    def own_parameters(self) -> list[tuple[str, Value]]:
        """Parameters held directly by this module, as (name, Value)."""
        return []

    def children(self) -> list[Module]:
        """Direct sub-modules, in order."""
        return []

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Every parameter as (name, Value): own ones first, then each child's."""
        out = list(self.own_parameters())
        for child in self.children():
            out.extend(child.named_parameters())
        return out

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters()``."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set ``p.grad = 0`` for every parameter, between two backward() walks of
        other threads, never inside one (see ``engine.walk.GRAD_LOCK``)."""
        params = self.parameters()
        with GRAD_LOCK:
            for p in params:
                p.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """{name: value} of every parameter, in order (a copy: floats, not Values)."""
        state: dict[str, float] = {}
        for name, p in self.named_parameters():
            if name in state:
                raise RuntimeError(f"two parameters share the name {name!r}")
            state[name] = p.data
        return state

    def load_state_dict(
        self, state_dict: Mapping[str, object], strict: bool = True
    ) -> IncompatibleKeys:
        """Copy values from ``state_dict`` into the parameters with the same names.

        With ``strict=True`` (the default) the keys must match exactly: missing or
        unexpected keys raise RuntimeError, as in PyTorch, whose message lists them
        under "Missing key(s) in state_dict:" and "Unexpected key(s) in state_dict:";
        nothing is changed then. Values must be finite real numbers (TypeError /
        ValueError naming the key otherwise). Returns the keys that did not match.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(
                f"state_dict must be a mapping, got {type(state_dict).__name__}"
            )
        params = dict(self.named_parameters())
        missing = [k for k in params if k not in state_dict]
        unexpected = [str(k) for k in state_dict if k not in params]
        if strict and (missing or unexpected):
            lines = [f"Error(s) in loading state_dict for {type(self).__name__}:"]
            for what, keys in (("Missing", missing), ("Unexpected", unexpected)):
                if keys:
                    shown = ", ".join(f'"{k}"' for k in keys[:5])
                    more = f" and {len(keys) - 5} more" if len(keys) > 5 else ""
                    lines.append(f"\t{what} key(s) in state_dict: {shown}{more}.")
            raise RuntimeError("\n".join(lines))
        values: dict[str, float] = {}
        for name in params:
            if name in state_dict:
                v = as_float(state_dict[name], f"state_dict[{name!r}]")
                if not math.isfinite(v):
                    raise ValueError(f"state_dict[{name!r}] is not finite: {v!r}")
                values[name] = v
        for name, v in values.items():
            params[name].data = v
        return IncompatibleKeys(missing, unexpected)
