"""The pictures of a training run, drawn once for ``deltagrad demo`` and ``train``:
the network diagram, the cost and accuracy per epoch, and the decision boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from nn import MLP, Dataset, History, outputs
from nn.files import check_output_file, make_output_folder
from viz.network import render_network
from viz.plots import plot_decision_boundary, plot_history
from viz.render import DEFAULT_TIMEOUT

__all__ = ["TRAINING_PICTURES", "check_picture_folder", "draw_training"]

#: The pictures of a training run, by what they show: their file names.
TRAINING_PICTURES = {
    "network": "network.svg",
    "loss": "loss.svg",
    "boundary": "boundary.svg",
}


def check_picture_folder(folder: Path, names: Iterable[str]) -> None:
    """Create ``folder`` if need be and check, before any work, that every file of
    ``names`` can be written in it (OSError naming the path otherwise)."""
    make_output_folder(folder)
    for name in names:
        check_output_file(folder / name)


def draw_training(
    folder: Path,
    net: MLP,
    history: History,
    ds: Dataset,
    *,
    timeout: float = DEFAULT_TIMEOUT,
) -> dict[str, Path]:
    """Write the pictures of ``net`` trained on ``ds`` into ``folder``, named as in
    TRAINING_PICTURES; the decision boundary only for data with 2 inputs. Returns
    the files written, by what they show."""
    files = {
        "network": render_network(
            net, folder / TRAINING_PICTURES["network"], timeout=timeout
        ),
        "loss": plot_history(
            history,
            folder / TRAINING_PICTURES["loss"],
            title=f"{ds.name}: MLP {list(net.sizes)}",
        ),
    }
    if ds.n_features == 2:
        title = (
            f"{ds.name}: test accuracy {100 * history.test_accuracy[-1]:.1f} %"
            if history.test_accuracy
            else f"{ds.name}: decision boundary"
        )
        files["boundary"] = plot_decision_boundary(
            lambda p: outputs(net, p),
            ds.x,
            ds.labels,
            folder / TRAINING_PICTURES["boundary"],
            n_classes=ds.n_classes,
            title=title,
        )
    return files
