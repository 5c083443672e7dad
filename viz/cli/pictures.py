"""The pictures of a training run, drawn once for ``deltagrad demo`` and ``train``:
the network diagram, the cost and accuracy per epoch, and the decision boundary.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np

from nn import MLP, Dataset, History, outputs
from nn.files import check_output_file, make_output_folder
from viz.boundary import plot_decision_boundary
from viz.network import draw_network
from viz.plots import plot_history

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
    train: Dataset,
    test: Dataset | None = None,
) -> dict[str, Path]:
    """Write the pictures of ``net`` trained on ``train`` (and tested on ``test``)
    into ``folder``, named as in TRAINING_PICTURES; for data with 2 inputs the
    decision boundary, and the neurons' heatmaps over the plane of every point.
    None of them needs ``dot``. Returns the files written, by what they show."""
    plane = train.n_features == 2
    points = train.x if test is None else np.vstack([train.x, test.x])
    files = {
        "network": draw_network(net, x=points if plane else None).save(
            folder / TRAINING_PICTURES["network"]
        ),
        "loss": plot_history(history, title=f"{train.name}: MLP {list(net.sizes)}")
        .save(folder / TRAINING_PICTURES["loss"]),
    }
    if plane:
        title = (
            f"{train.name}: test accuracy {100 * history.test_accuracy[-1]:.1f} %"
            if history.test_accuracy
            else f"{train.name}: decision boundary"
        )
        files["boundary"] = plot_decision_boundary(
            lambda p: outputs(net, p),
            train.x,
            train.labels,
            test_x=None if test is None else test.x,
            test_labels=None if test is None else test.labels,
            n_classes=train.n_classes,
            title=title,
        ).save(folder / TRAINING_PICTURES["boundary"])
    return files
