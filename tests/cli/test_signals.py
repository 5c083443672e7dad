"""Signals sent to ``deltagrad`` in a process of its own (fault injection): SIGTERM
and SIGHUP get the clean-up Ctrl-C gets, at any moment of rendering and saving: dot's
whole process group killed and reaped, no temporary file left, the old file intact,
one line on stderr and the exit status 128 + the signal's number. A Ctrl-C while
``deltagrad`` starts is one line and 130 too."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_dot import (
    FORKS_AND_HANGS,
    fake_dot,
    kill_all,
    leftovers,
    none_alive,
    path_with,
    real_dot,
    recorded_pids,
    wait_for,
)
from viz.cli.errors import Terminated
from viz.cli.signals import signals_raise

#: Each signal, the status it ends ``deltagrad`` with and the line it prints.
STOPS: list[tuple[int, int, str]] = [
    (signal.SIGTERM, 143, "deltagrad: terminated"),
    (signal.SIGHUP, 129, "deltagrad: terminated"),
    (signal.SIGINT, 130, "deltagrad: interrupted"),
]
SIGNALS = [pytest.param(*stop, id=signal.Signals(stop[0]).name) for stop in STOPS]

#: The console script's job, ``from viz.cli import main; sys.exit(main())``, saying
#: "started" once ``main`` begins to import the command line (viz.cli.core), inside
#: its handling of Ctrl-C. What comes before is not deltagrad's to handle: until
#: Python's start-up has installed its handler, SIGINT ends the process silently
#: (a shell shows 130); during ``site``, the viz package's check that engine and nn
#: are this project's, the import of viz.cli's few lines and the call of ``main``
#: (some ms in all), Python prints a traceback.
ENTRY = """
import sys
class Started:
    def find_spec(self, name, path=None, target=None):
        if name == "viz.cli.core":
            sys.meta_path.remove(self)
            print("started", flush=True)
        return None
sys.meta_path.insert(0, Started())
from viz.cli import main
sys.exit(main(sys.argv[1:]))
"""

#: ENTRY, with every fsync (the last step before the rename) announced in the
#: file given first and then stuck: a signal sent then lands mid-save.
STUCK_IN_SAVE = """
import os, sys, time
from pathlib import Path
def stuck(fd):
    Path(sys.argv[1]).write_text('writing\\n')
    time.sleep(60)
os.fsync = stuck
from viz.cli import main
sys.exit(main(sys.argv[2:]))
"""

GRAPH = ["graph", "x * 2", "--at", "x=1", "-o", "g.svg"]


@pytest.fixture
def bin_dir(tmp_path: Path) -> Iterator[Path]:
    """The fake dot's folder; what it recorded is killed at the end, should a test
    fail and leave it running."""
    folder = tmp_path / "bin"
    yield folder
    kill_all(recorded_pids(folder))


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The working folder of deltagrad, which must hold nothing it did not ask for."""
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def start(
    code: str, *args: str, cwd: Path, bin_dir: Path | None = None
) -> subprocess.Popen[str]:
    """``python -c code args`` in ``cwd``, with ``bin_dir`` first on PATH."""
    env = dict(os.environ)
    if bin_dir is not None:
        env["PATH"] = path_with(bin_dir)
    return subprocess.Popen(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[str, str]:
    """What ``proc`` printed once it ends (killed if it has not within a minute)."""
    try:
        return proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()


def is_svg(path: Path) -> bool:
    data = path.read_bytes()
    return data.lstrip().startswith(b"<?xml") and data.rstrip().endswith(b"</svg>")


@pytest.mark.parametrize(("signum", "status", "line"), SIGNALS)
def test_a_signal_while_dot_runs_kills_dots_group_and_exits_128_plus_its_number(
    bin_dir: Path, work: Path, signum: int, status: int, line: str
) -> None:
    fake_dot(bin_dir, FORKS_AND_HANGS)
    proc = start(ENTRY, *GRAPH, cwd=work, bin_dir=bin_dir)
    wait_for(bin_dir / "pids")
    proc.send_signal(signum)
    _, err = finish(proc)
    assert (proc.returncode, err) == (status, line + "\n")
    pids = recorded_pids(bin_dir)
    assert len(pids) == 2
    assert none_alive(pids)
    assert sorted(p.name for p in work.iterdir()) == []


SAVES = {
    "m.json": ["train", "--data", "xor", "--sizes", "2,2,1", "--epochs", "1",
               "--samples", "20", "--no-progress", "--save", "m.json"],
    "g.svg": GRAPH,
}


@pytest.mark.parametrize(("signum", "status", "line"), SIGNALS)
@pytest.mark.parametrize("target", SAVES)
def test_a_signal_while_a_file_is_saved_leaves_the_old_file_and_no_temporary_file(
    work: Path, signum: int, status: int, line: str, target: str
) -> None:
    command = SAVES[target]
    (work / target).write_text("old\n")
    marker = work.parent / "writing"
    proc = start(STUCK_IN_SAVE, str(marker), *command, cwd=work)
    wait_for(marker)
    proc.send_signal(signum)
    _, err = finish(proc)
    assert (proc.returncode, err) == (status, line + "\n")
    assert leftovers(work) == []
    assert (work / target).read_text() == "old\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    "delay", [0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5]
)
def test_ctrl_c_while_deltagrad_starts_is_one_line_and_status_130(
    bin_dir: Path, work: Path, delay: float
) -> None:
    """From ``main``'s first import on: importing the command line, parsing,
    importing the command and numpy (which turns a Ctrl-C into an ImportError),
    building the graph, running dot."""
    fake_dot(bin_dir, FORKS_AND_HANGS)
    proc = start(ENTRY, *GRAPH, cwd=work, bin_dir=bin_dir)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "started\n"
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    _, err = finish(proc)
    assert (proc.returncode, err) == (130, "deltagrad: interrupted\n")
    assert none_alive(recorded_pids(bin_dir))
    assert sorted(p.name for p in work.iterdir()) == []


#: A dot that records its pid and a child's of its own, then runs the real dot.
RECORDS_AND_RUNS_DOT = """\
sleep 60 > /dev/null 2>&1 &
echo "$$ $!" >> $PIDS
exec {dot} "$@"
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_a_signal_at_a_random_moment_leaves_no_process_and_no_partial_file(
    bin_dir: Path, work: Path, seed: int
) -> None:
    """Whenever the signal comes (starting, building, dot running, writing, done),
    deltagrad ends by it with one line, or has finished (and is perhaps ended by
    the signal after main returned, as any process is): no traceback, no dot or
    child of it left, no temporary file, the picture whole or absent."""
    rng = random.Random(seed)
    signum, status, line = rng.choice(STOPS)
    fake_dot(bin_dir, RECORDS_AND_RUNS_DOT.format(dot=real_dot()))
    proc = start(ENTRY, *GRAPH, cwd=work, bin_dir=bin_dir)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "started\n"
    time.sleep(rng.uniform(0.0, 1.0))
    proc.send_signal(signum)
    _, err = finish(proc)
    # 0: it had finished; -signum: ended by the signal once main had returned
    if proc.returncode in {0, -signum}:
        assert err == ""
    else:
        assert (proc.returncode, err) == (status, line + "\n")
    assert none_alive(recorded_pids(bin_dir))
    assert leftovers(work) == []
    picture = work / "g.svg"
    assert not picture.exists() or is_svg(picture)


#: Runs ``deltagrad ARGS`` with a Ctrl-C pressed while the module given first is
#: imported: at once, or, for "C-extension", as numpy's C code reports it: the
#: KeyboardInterrupt replaced by an ImportError that does not mention it.
CTRL_C_ON_IMPORT = """
import os, signal, sys, time
target = sys.argv[1]
class CtrlC:
    def find_spec(self, name, path=None, target_=None):
        if name == target:
            raise KeyboardInterrupt
        if name == "numpy" and target == "C-extension":
            try:
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(30)
            except KeyboardInterrupt:
                raise ImportError("Importing the numpy C-extensions failed") from None
        return None
sys.meta_path.insert(0, CtrlC())
from viz.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize(
    "module",
    ["viz.cli.core", "viz.cli.signals", "viz.cli.parser", "viz.cli.args",
     "viz.cli.commands", "viz.cli.commands.graph", "C-extension"],
)
def test_ctrl_c_while_a_module_loads_is_one_line_and_status_130(
    work: Path, module: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CTRL_C_ON_IMPORT, module, *GRAPH], cwd=work,
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert (done.returncode, done.stderr) == (130, "deltagrad: interrupted\n")
    assert list(work.iterdir()) == []


def test_a_signal_whose_exception_python_swallows_is_raised_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CPython swallows an exception raised in a weakref callback ("Exception
    ignored in ..."); the import system runs such callbacks, so a SIGTERM could be
    lost there. The watchdog raises it again."""
    swallowed: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", swallowed.append)

    class Thing:
        pass

    def callback(ref: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)
        for _ in range(10**7):  # the handler runs in here, its exception swallowed
            pass

    things = [Thing()]
    ref = weakref.ref(things[0], callback)

    def drop_and_wait() -> None:
        with signals_raise():
            things.clear()  # the callback runs
            time.sleep(30)  # the watchdog raises the SIGTERM again

    with pytest.raises(Terminated):
        drop_and_wait()
    assert ref() is None
    assert len(swallowed) == 1
    assert isinstance(getattr(swallowed[0], "exc_value", None), Terminated)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
