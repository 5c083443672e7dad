"""``deltagrad train``: train a net on a data set; save it and its pictures."""

from __future__ import annotations

import argparse
import importlib
import time
from types import ModuleType

from nn import MLP, Dataset, accuracy, fit, make_dataset
from nn.data import MissingDependencyError, train_test_split
from nn.files import check_output_file
from viz.cli import args as checks
from viz.cli.errors import CommandError
from viz.cli.messages import training_warnings
from viz.render import DEFAULT_MAX_LINKS

__all__ = ["run"]


def _pictures() -> ModuleType:
    """``viz.cli.pictures``, imported only for --out: it loads matplotlib (about a
    second), which a run without pictures does not need."""
    return importlib.import_module("viz.cli.pictures")


def _check_outputs(args: argparse.Namespace, sizes: list[int]) -> None:
    """Refuse, before training, outputs that could not be written afterwards."""
    if args.out is not None:
        checks.check_links(sizes, DEFAULT_MAX_LINKS, who="--out",
                           instead="leave out --out or train a smaller net")
    if args.save is not None:
        check_output_file(args.save)
    if args.out is not None:
        pictures = _pictures()
        pictures.check_picture_folder(args.out, pictures.TRAINING_PICTURES.values())


def _dataset(args: argparse.Namespace) -> Dataset:
    try:
        return make_dataset(args.data, n=args.samples, noise=args.noise,
                            seed=args.seed)
    except MissingDependencyError as err:  # scikit-learn, for iris and digits
        raise CommandError(str(err)) from None


def run(args: argparse.Namespace) -> int:
    """Train, print the cost and accuracy, save the net and pictures if asked.

    Training's warnings (``nn.TrainingWarning``) are printed as one line each. A run
    whose weights or cost exploded (``nn.health.DivergenceWarning``) fails, exit 1,
    writing no file, unless ``--save-diverged``; one that became inf or nan stops
    with ``TrainingDivergedError``, exit 1 too.
    """
    sizes = checks.train_sizes(args.data, args.sizes, args.samples)
    _check_outputs(args, sizes)
    ds = _dataset(args)
    train, test = train_test_split(ds, 0.8, seed=args.seed)
    net = MLP(sizes, activation=args.activation, output_activation="sigmoid",
              seed=args.seed)
    print(
        f"training MLP {sizes} ({args.activation}) on {args.data}: {len(train)} "
        f"samples to train, {len(test)} to test; {args.epochs} epochs, lr "
        f"{args.lr:g}, batches of {args.batch}, {args.engine} engine"
    )
    start = time.perf_counter()
    with training_warnings() as caught:
        history = fit(net, train, epochs=args.epochs, lr=args.lr,
                      batch_size=args.batch, engine=args.engine, seed=args.seed,
                      test=test, progress=args.progress)
    print(
        f"final cost {history.loss[-1]:.4g}, train accuracy "
        f"{100 * history.accuracy[-1]:.1f} %, test accuracy "
        f"{100 * accuracy(net, test):.1f} % ({time.perf_counter() - start:.1f} s)"
    )
    if caught.diverged and not args.save_diverged:
        written = [f for f in (args.save, args.out) if f is not None]
        kept = f": {' and '.join(map(str, written))} not written" if written else ""
        raise CommandError(
            f"training diverged (see the warning above){kept}; --save-diverged "
            "writes the files of a diverged run anyway"
        )
    if args.save is not None:
        net.save(args.save)  # ValueError if the weights are not finite
        print(f"saved {args.save}")
    if args.out is not None:
        files = _pictures().draw_training(args.out, net, history, train, test)
        for path in files.values():
            print(f"wrote {path}")
    return 0
