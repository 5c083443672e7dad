"""The step-through page in a real browser (headless Chromium): every step visits the
node backward() visits next, every grad shown is the engine's, Back and Reset restore
earlier states, and nothing is requested, logged as an error, or injected."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from engine import Value, topological_order
from engine.walk import _op_nodes
from nn import MLP
from tests.graphs import run_program
from tests.strategies import programs
from tests.viz.conftest import OpenedPage
from viz.cli.sample import sample_cost
from viz.labels import format_number
from viz.page import render_html

Open = Callable[[Path], OpenedPage]

#: Every node text the page marks, with what it shows and the script's own sum.
_STATE = """Array.from(document.querySelectorAll("g.node")).map(g => [g.id,
  Array.from(g.querySelectorAll("text.dg-data, text.dg-grad")).map(t =>
    [t.getAttribute("class"), t.textContent, t.getAttribute("data-value")])])"""

#: Press a button (its click handler, as a mouse click runs it) and read back: the
#: state, the ids lit as the step's node y, and whether each step button is enabled.
_PRESS = f"""(id) => {{
  if (id) document.getElementById(id).click();
  const on = (b) => !document.getElementById(b).disabled;
  return [{_STATE},
    Array.from(document.querySelectorAll("g.node.dg-y")).map(g => g.id),
    on("dg-step-forward"), on("dg-step-backward")];
}}"""

#: The whole walk in one round trip: press "Step forward" while it is enabled, then
#: "Step backward" while it is enabled, recording after each press what _PRESS
#: reads and the status line at the two turns.
_WALK = f"""(keep) => {{
  const press = {_PRESS};
  const out = {{start: press(null), forward: [], backward: [], status: []}};
  out.status.push(document.getElementById("dg-status").textContent);
  let r = out.start;
  while (r[2]) {{ if (r[3]) throw new Error("backward before the values");
    r = press("dg-step-forward"); if (keep) out.forward.push(r[0]); }}
  out.status.push(document.getElementById("dg-status").textContent);
  while (r[3]) {{ r = press("dg-step-backward");
    out.backward.push([keep ? r[0] : null, r[1]]); }}
  out.status.push(document.getElementById("dg-status").textContent);
  out.end = r[0];
  return out;
}}"""
_NUMBER = re.compile(r"([-−]?(?:inf|nan|[0-9.]+(?:e[-+][0-9]+)?))$")


def _index(picture: str) -> int:
    """The position in the topological order of a picture node id (n3, n3op, n0_2)."""
    m = re.match(r"n([0-9]+)", picture)
    assert m is not None
    return int(m.group(1))


def _engine(root: Value) -> tuple[list[Value], list[int], list[float]]:
    """The order, the positions backward() visits (its own walk, last first), and
    the grads of one backward() from zero."""
    order = topological_order(root)
    index = {id(v): i for i, v in enumerate(order)}
    visits = [index[id(v)] for v in reversed(_op_nodes(root))] or [len(order) - 1]
    root.zero_grad()
    root.backward()
    return order, visits, [v.grad for v in order]


def _click(page: Any, button: str) -> None:
    page.click(f"#dg-{button}")


def _disabled(page: Any, button: str) -> bool:
    return bool(page.is_disabled(f"#dg-{button}"))


def _state(page: Any) -> Any:
    return page.evaluate(_PRESS, None)[0]


def _walk_whole_page(
    opened: OpenedPage, root: Value, *, keep: bool = True
) -> list[Any]:
    """Step the page forward then backward to the end, checking each backward
    step's node against backward()'s order and the final grads against its grads;
    returns the state after every step (``keep``) or the first and last."""
    page = opened.page
    order, visits, grads = _engine(root)
    walk = page.evaluate(_WALK, keep)
    start, forward_done, end = walk["status"]
    assert "not yet known" in start
    assert "not yet known (they are not 0)" in forward_done
    assert "Every gradient is complete" in end
    seen = []
    for _, lit in walk["backward"]:
        nodes = {_index(p) for p in lit}
        assert len(nodes) == 1
        seen.append(nodes.pop())
    assert seen == visits
    for picture, texts in walk["end"]:
        v, g = order[_index(picture)], grads[_index(picture)]
        for kind, shown, value in texts:
            m = _NUMBER.search(shown)
            assert m is not None, shown
            number = m.group(1)  # as format_number writes it, with U+2212
            if kind == "dg-grad":
                assert float(value) == g or (math.isnan(g) and value == "NaN")
                assert number == format_number(g)
            else:
                assert number == format_number(v.data)
    assert opened.errors == []
    assert opened.requests == [page.url]
    if not keep:
        return [walk["start"][0], walk["end"]]
    return [walk["start"][0], *walk["forward"], *(b[0] for b in walk["backward"])]


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(program=programs())
def test_random_graphs_step_in_backward_order_to_the_engines_grads(
    program: Any, open_page: Open, tmp_path: Path
) -> None:
    inputs, steps = program
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    root = run_program(steps, *leaves)
    path = render_html(root, tmp_path / "page.html")
    _walk_whole_page(open_page(path), root)


@pytest.mark.parametrize(
    ("sizes", "activation", "elementary"),
    [([2, 3, 1], "sigmoid", False), ([2, 2, 2], "tanh", True)],
)
def test_networks_step_to_the_engines_grads_and_show_the_four_formulas(
    sizes: list[int],
    activation: str,
    elementary: bool,
    open_page: Open,
    tmp_path: Path,
) -> None:
    net = MLP(sizes, activation=activation, seed=1, elementary=elementary)
    cost = sample_cost(net, [0.3] * sizes[0], [0.2] * sizes[-1])
    opened = open_page(render_html(cost, tmp_path / "net.html"))
    page = opened.page
    assert page.locator(".dg-bp:visible").count() == 0  # none before the pass
    _walk_whole_page(opened, cost, keep=False)
    shown = page.locator(".dg-bp:visible")
    assert shown.count() == page.locator(".dg-bp").count()
    text = page.inner_text("#dg-formulas")
    for name in ("BP1", "BP2", "BP3", "BP4", "the seed's"):
        assert name in text


def test_back_and_reset_restore_every_earlier_state(
    open_page: Open, tmp_path: Path
) -> None:
    a = Value(0.5, label="a")
    b = a + a
    root = (b + b).tanh() * a
    opened = open_page(render_html(root, tmp_path / "p.html"))
    page = opened.page
    states = _walk_whole_page(opened, root)
    status = page.inner_text("#dg-status")
    for earlier in reversed(states[:-1]):
        _click(page, "back")
        assert _state(page) == earlier
    assert _disabled(page, "back")
    for _ in range(5):
        page.keyboard.press("ArrowRight")  # the arrow keys step as well
    assert _state(page) == states[5]
    page.keyboard.press("ArrowLeft")
    assert _state(page) == states[4]
    _click(page, "reset")
    assert _state(page) == states[0]
    assert "not yet known" in page.inner_text("#dg-status")
    assert status != page.inner_text("#dg-status")
    assert opened.errors == []


def test_a_node_used_twice_receives_two_contributions_that_add_up(
    open_page: Open, tmp_path: Path
) -> None:
    a = Value(3.0, label="a")
    root = a + a
    opened = open_page(render_html(root, tmp_path / "twice.html"))
    page = opened.page
    while not _disabled(page, "step-forward"):
        _click(page, "step-forward")
    _click(page, "step-backward")
    rows = page.locator("#dg-step tbody tr").all_inner_texts()
    assert len(rows) == 2
    assert rows[0].split("\t")[:5] == ["a", "1", "1", "1", "1"]
    assert "contribution 1 of 2" in rows[0]
    assert rows[1].split("\t")[:5] == ["a", "1", "1", "1", "2"]
    assert "contribution 2 of 2: complete" in rows[1]
    assert _disabled(page, "step-backward")


def test_every_copy_of_a_leaf_drawn_at_each_use_shows_its_grad(
    open_page: Open, tmp_path: Path
) -> None:
    x = Value(0.3, label="x")
    root = x.tanh()
    for _ in range(12):
        root = root + x.tanh()  # uses of x far apart: x is drawn at each use
    opened = open_page(render_html(root, tmp_path / "copies.html"))
    states = _walk_whole_page(opened, root, keep=False)
    copies = [texts for picture, texts in states[-1] if picture.startswith("n0_")]
    assert len(copies) == 13
    assert len({str(t) for t in copies}) == 1  # all the same, all complete


def test_a_hostile_label_renders_as_text(open_page: Open, tmp_path: Path) -> None:
    label = "</script><img src=x onerror=alert(1)>\"'&amp;<b>"
    x = Value(1.5, label=label)
    root = x * x
    opened = open_page(render_html(root, tmp_path / "hostile.html"))
    page = opened.page
    assert page.locator("img").count() == 0
    assert page.locator("b").count() == 0
    assert label in page.locator("#dg-graph").inner_text() or label in " ".join(
        page.locator("#dg-graph text").all_inner_texts()
    )
    _walk_whole_page(opened, root)
    assert label in page.inner_text("#dg-step")  # the panel names it, as text
    assert opened.errors == []


def test_play_steps_by_itself_and_pause_stops_it(
    open_page: Open, tmp_path: Path
) -> None:
    x = Value(2.0, label="x")
    opened = open_page(render_html(x * 3.0, tmp_path / "play.html"))
    page = opened.page
    _click(page, "play")
    assert page.inner_text("#dg-play") == "Pause"
    page.wait_for_function(
        "() => document.querySelectorAll('text.dg-data')[0].textContent !== "
        "document.querySelectorAll('text.dg-data')[0].getAttribute('data-words') + '?'",
        timeout=20000,
    )
    _click(page, "play")
    assert page.inner_text("#dg-play") == "Play"
    paused = _state(page)
    page.wait_for_timeout(900)  # two ticks of its clock, had it gone on
    assert _state(page) == paused
    assert "Forward pass: 1 of" in page.inner_text("#dg-status")
    assert opened.errors == []
