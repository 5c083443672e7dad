"""``viz.render`` against a ``dot`` that misbehaves (fault injection): one that hangs
with a child of its own, leaves a child behind when it succeeds, floods its output
or its messages, writes one enormous error line, fails, or exits 0 with an empty or
garbage output. Each fake ``dot`` is a shell script first on PATH."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fake_dot import (
    FORKS_AND_HANGS,
    fake_dot,
    kill_all,
    leftovers,
    none_alive,
    path_with,
    recorded_pids,
    wait_for,
)
from viz import render
from viz.errors import DotFailedError, DotTimeoutError
from viz.render import check_svg, render_source, run_dot

SOURCE = "digraph { a -> b }"


SMALL_SVG = '<svg xmlns="http://www.w3.org/2000/svg"></svg>'


@pytest.fixture
def bin_dir(tmp_path: Path) -> Iterator[Path]:
    """The fake dot's folder; whatever it recorded is killed at the end, should a
    test fail and leave it running."""
    folder = tmp_path / "bin"
    yield folder
    kill_all(recorded_pids(folder))


def use(bin_dir: Path, body: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", path_with(fake_dot(bin_dir, body)))


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- processes: none left behind -------------------------------------------------


def test_a_timeout_kills_dot_and_the_child_it_started(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child holds dot's output open: killing dot alone would leave it running
    (and waiting for the output to close made the timeout fire 10 s late)."""
    use(bin_dir, FORKS_AND_HANGS, monkeypatch)
    with pytest.raises(DotTimeoutError):
        run_dot(SOURCE, timeout=0.5)
    pids = recorded_pids(bin_dir)
    assert len(pids) == 2
    assert none_alive(pids)


def test_a_child_that_dot_leaves_behind_is_killed_when_dot_succeeds(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(bin_dir, f"""\
cat > /dev/null
sleep 60 > /dev/null 2>&1 &
echo "$$ $!" > $PIDS
echo '{SMALL_SVG}'
""", monkeypatch)
    assert run_dot(SOURCE).strip() == SMALL_SVG.encode()
    assert none_alive(recorded_pids(bin_dir))


def test_ctrl_c_kills_dot_and_the_child_it_started(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(bin_dir, FORKS_AND_HANGS, monkeypatch)
    real_wait = subprocess.Popen.wait
    pressed: list[bool] = []

    def ctrl_c_once_dot_runs(
        self: subprocess.Popen[bytes], timeout: float | None = None
    ) -> int:
        if not pressed:  # the first wait for dot: the user presses Ctrl-C
            wait_for(bin_dir / "pids")
            pressed.append(True)
            raise KeyboardInterrupt
        return real_wait(self, timeout)

    monkeypatch.setattr(subprocess.Popen, "wait", ctrl_c_once_dot_runs)
    with pytest.raises(KeyboardInterrupt):
        run_dot(SOURCE, timeout=60)
    pids = recorded_pids(bin_dir)
    assert len(pids) == 2
    assert none_alive(pids)


# --- what is read from dot is bounded ---------------------------------------------


def test_an_output_flood_is_stopped_at_the_limit_without_reading_it(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(render, "MAX_DOT_OUTPUT", 2**20)
    use(bin_dir, "cat > /dev/null\nhead -c 3000000 /dev/zero\n", monkeypatch)
    with pytest.raises(DotFailedError, match="output reached 1 MiB"):
        render_source(SOURCE, tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()


def test_an_endless_flood_of_messages_is_stopped_at_the_limit(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "MAX_DOT_OUTPUT", 2**20)
    use(bin_dir, "cat > /dev/null\nyes 'warning: flood' >&2\n", monkeypatch)
    with pytest.raises(DotFailedError, match="messages reached 1 MiB"):
        run_dot(SOURCE, timeout=60)


def test_of_a_huge_error_line_only_the_start_is_shown(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(bin_dir, """\
cat > /dev/null
head -c 5000000 /dev/zero | tr '\\0' 'x' >&2
echo >&2
exit 1
""", monkeypatch)
    with pytest.raises(DotFailedError) as failed:
        run_dot(SOURCE)
    message = str(failed.value)
    assert message.startswith("dot failed (exit status 1):\nxxx")
    assert len(message) < 400
    assert message.endswith("[...]")


def test_of_many_error_lines_only_the_first_few_are_shown(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(bin_dir, "cat > /dev/null\nseq 1 100000 >&2\nexit 1\n", monkeypatch)
    with pytest.raises(DotFailedError) as failed:
        run_dot(SOURCE)
    lines = str(failed.value).splitlines()
    assert lines[1:9] == [str(n) for n in range(1, 9)]
    assert len(lines) == 10
    assert "more lines" in lines[-1]


# --- only an SVG document is written -----------------------------------------------


@pytest.mark.parametrize(
    "output",
    [
        "",
        "garbage",
        "Warning: something\\n",
        "<svg xmlns='http://www.w3.org/2000/svg'>",  # cut short
        "<html></html>",
        f"{SMALL_SVG}trailing",
    ],
)
def test_an_output_that_is_not_svg_is_an_error_and_nothing_is_written(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, output: str
) -> None:
    use(bin_dir, f'cat > /dev/null\nprintf "{output}"\n', monkeypatch)
    old = tmp_path / "g.svg"
    old.write_text("old")
    with pytest.raises(DotFailedError, match="not an SVG document"):
        render_source(SOURCE, old)
    assert old.read_text() == "old"
    assert files_in(tmp_path) == ["bin", "g.svg"]


@pytest.mark.parametrize(
    "document",
    [
        SMALL_SVG,
        f'<?xml version="1.0"?>\n{SMALL_SVG}\n',
        f'\ufeff<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n{SMALL_SVG}',
    ],
)
def test_an_svg_document_passes_the_check(document: str) -> None:
    check_svg(document.encode("utf-8"))


def test_dots_own_output_passes_the_check() -> None:
    check_svg(run_dot(SOURCE))


def test_a_failing_dot_leaves_no_temporary_file(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use(bin_dir, "cat > /dev/null\necho 'Error: syntax' >&2\nexit 2\n", monkeypatch)
    with pytest.raises(DotFailedError, match=r"exit status 2\):\nError: syntax$"):
        render_source(SOURCE, tmp_path / "g.svg")
    assert leftovers(tmp_path) == []
    assert files_in(tmp_path) == ["bin"]


@pytest.mark.parametrize("how", ["prlimit", "preexec_fn"])
def test_dots_files_are_limited_to_max_dot_output_and_this_process_is_not(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """By prlimit where there is one (Linux), by setrlimit in the child elsewhere."""
    if how == "preexec_fn":
        monkeypatch.delattr(resource, "prlimit", raising=False)
    before = resource.getrlimit(resource.RLIMIT_FSIZE)
    use(bin_dir, "cat > /dev/null\nulimit -f\n", monkeypatch)
    blocks = int(run_dot(SOURCE))  # ulimit -f counts 512-byte blocks
    assert blocks * 512 == render.MAX_DOT_OUTPUT
    assert resource.getrlimit(resource.RLIMIT_FSIZE) == before


def test_a_signal_while_dot_starts_is_held_back_until_dot_can_be_killed(
    bin_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C raised inside Popen once dot runs, before the caller holds ``proc``,
    would leave dot running with no one to kill it."""
    use(bin_dir, 'sleep 60 &\necho "$$ $!" > $PIDS\ncat > /dev/null\nwait\n',
        monkeypatch)
    real_init = subprocess.Popen.__init__

    def ctrl_c_as_dot_starts(self: subprocess.Popen[bytes], *args: Any,
                             **kwargs: Any) -> None:
        real_init(self, *args, **kwargs)
        wait_for(bin_dir / "pids")  # dot runs
        os.kill(os.getpid(), signal.SIGINT)
        for _ in range(10**6):  # a Ctrl-C not held back is raised in here
            pass

    monkeypatch.setattr(subprocess.Popen, "__init__", ctrl_c_as_dot_starts)
    with pytest.raises(KeyboardInterrupt):
        run_dot(SOURCE, timeout=60)
    monkeypatch.undo()
    assert none_alive(recorded_pids(bin_dir))
