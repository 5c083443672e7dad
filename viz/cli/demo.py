"""``deltagrad demo``: the whole story on built-in data, in a few seconds.

1. a sigmoid MLP on TensorFlow Playground's circle data set;
2. its gradients by autograd against the four formulas BP1-BP4, layer by layer;
3. training by mini-batch gradient descent through the engine, with a progress bar;
4. four pictures: one sample's cost C as a computation graph in the seed's notation,
   the network diagram, the cost and accuracy curves, and the decision boundary.

``run_demo(DemoSettings(...))`` is the same from Python (small settings suit tests).

Without the ``dot`` program the demo says so before it trains, still draws the three
pictures that need no ``dot`` (network, cost curves, boundary), then names the one it
skipped (graph.svg) and the command that installs ``dot``; ``DemoResult.skipped``
lists it and ``deltagrad demo`` exits with status 1.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nn import MLP, compare, fit, make_dataset, to_targets
from nn.data import train_test_split
from viz.cli.pictures import TRAINING_PICTURES, check_picture_folder, draw_training
from viz.cli.sample import sample_cost
from viz.errors import INSTALL_DOT, DotNotFoundError
from viz.graph import count_nodes, render_svg
from viz.render import DEFAULT_TIMEOUT, find_dot

__all__ = ["PICTURES", "DemoResult", "DemoSettings", "run_demo"]

#: The files the demo writes into its folder.
PICTURES = ("graph.svg", *TRAINING_PICTURES.values())

_WHAT = {
    "network": "network diagram (links by weight, bias squares, heatmaps of a)",
    "loss": "training and test cost, accuracy per epoch",
    "boundary": "decision boundary over the data",
}


@dataclass(frozen=True)
class DemoSettings:
    """What the demo does; the defaults are the demo (small ones suit tests)."""

    out: Path = Path("deltagrad-demo")
    data: str = "circle"
    samples: int = 400
    noise: float = 0.1
    sizes: tuple[int, ...] = (2, 4, 1)
    epochs: int = 150
    lr: float = 1.0
    batch: int = 10
    seed: int = 0
    engine: str = "autograd"
    compare_samples: int = 4
    progress: bool | None = None
    timeout: float = DEFAULT_TIMEOUT  # seconds dot may take per picture


@dataclass
class DemoResult:
    """What the demo found and wrote."""

    comparison_ok: bool
    train_accuracy: float
    test_accuracy: float
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    skipped: list[str] = field(default_factory=list)  # pictures not drawn (no dot)


def _has_dot() -> bool:
    try:
        find_dot()
    except DotNotFoundError:
        return False
    return True


def run_demo(
    settings: DemoSettings, echo: Callable[[str], None] = print
) -> DemoResult:
    """Run the demo (see the module docstring), reporting through ``echo``.

    Raises what the parts raise: ``OSError`` if the output folder cannot be written
    (checked before training), ``ValueError`` for settings that do not fit or
    training that diverged, ``DotTimeoutError``/``DotFailedError`` from ``dot``.
    Without ``dot`` the computation graph is skipped (``DemoResult.skipped``).
    """
    start = time.perf_counter()
    s = settings
    ds = make_dataset(s.data, n=s.samples, noise=s.noise, seed=s.seed)
    train, test = train_test_split(ds, 0.8, seed=s.seed)
    net = MLP(list(s.sizes), activation="sigmoid", seed=s.seed)
    check_picture_folder(s.out, PICTURES)
    has_dot = _has_dot()
    if not has_dot:
        echo(
            "note: the graphviz 'dot' program is not installed: the demo runs, but "
            "skips the computation graph graph.svg (the other pictures need no dot)"
        )
    echo(
        f"deltagrad demo: a sigmoid MLP {list(s.sizes)} on the {s.data} data set "
        f"({len(ds)} points, noise {s.noise:g}; {len(train)} to train, "
        f"{len(test)} to test)"
    )

    m = min(s.compare_samples, len(train))
    y = to_targets(train.labels[:m], net.sizes[-1])
    report = compare(net, train.x[:m], y)
    echo(
        f"\n1. dC/dz (delta), dC/db and dC/dw on {m} samples: autograd against the "
        "four formulas BP1-BP4 and central differences (c.d.)\n"
    )
    echo(str(report))

    echo(
        f"\n2. training: {s.epochs} epochs, learning rate {s.lr:g}, batches of "
        f"{s.batch}, {s.engine} engine"
    )
    history = fit(
        net,
        train,
        epochs=s.epochs,
        lr=s.lr,
        batch_size=s.batch,
        engine=s.engine,
        seed=s.seed,
        test=test,
        progress=s.progress,
    )
    result = DemoResult(
        comparison_ok=report.ok,
        train_accuracy=history.accuracy[-1],
        test_accuracy=history.test_accuracy[-1],
    )
    echo(
        f"   final cost {history.loss[-1]:.4g}, train accuracy "
        f"{100 * result.train_accuracy:.1f} %, test accuracy "
        f"{100 * result.test_accuracy:.1f} % ({sum(history.seconds):.1f} s)"
    )

    # One sample's cost after training, its gradients filled in by backward().
    target = to_targets(train.labels[:1], net.sizes[-1])[0]
    cost = sample_cost(net, train.x[0], target)
    files = result.files
    if has_dot:
        files["graph"] = render_svg(cost, s.out / "graph.svg", timeout=s.timeout)
    else:
        result.skipped.append("graph.svg")
    files.update(draw_training(s.out, net, history, train, test))
    what = {
        "graph": f"computation graph of one sample's cost C ({count_nodes(cost)} "
        "nodes)",
        **_WHAT,
    }
    echo("\n3. pictures:")
    width = max(len(str(p)) for p in files.values())
    for key, path in files.items():
        echo(f"   {str(path).ljust(width)}  {what[key]}")
    result.seconds = time.perf_counter() - start
    if result.skipped:
        echo(
            f"   skipped {', '.join(result.skipped)}: {what['graph']}, which needs "
            f"the graphviz 'dot' program. Install it with:  {INSTALL_DOT}"
        )
    echo(f"\ndone in {result.seconds:.1f} s")
    if not report.ok:
        echo("WARNING: autograd and the formulas disagree beyond tolerance (see 1.)")
    return result
