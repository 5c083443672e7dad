"""The files ``deltagrad`` is told to write, as a user's shell gives them: a
standard stream redirected to a file is refused (its earlier lines kept), a full
disk or a file too large names the file and the cause and leaves no temporary
file, a folder that takes no new files says so."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from tests.cli.helpers import Run, no_traceback
from tests.fake_dot import leftovers

TRAIN = ["train", "--data", "xor", "--sizes", "2,2,1", "--epochs", "1", "--samples",
         "20", "--no-progress"]


def test_saving_to_dev_stdout_appended_to_a_log_keeps_the_log(tmp_path: Path) -> None:
    """``deltagrad train ... --save /dev/stdout >> log.txt`` replaced log.txt."""
    log = tmp_path / "log.txt"
    log.write_text("an earlier line\n")
    with log.open("a") as out:
        done = subprocess.run(
            [sys.executable, "-m", "viz.cli", *TRAIN, "--save", "/dev/stdout"],
            cwd=tmp_path, stdout=out, stderr=subprocess.PIPE, text=True, timeout=120,
            check=False,
        )
    assert done.returncode == 1
    assert done.stderr == (
        "deltagrad: error: /dev/stdout: is this process's standard output (e.g. "
        "/dev/stdout redirected to a file); not replacing it\n"
    )
    assert log.read_text() == "an earlier line\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt"]


def test_a_file_too_large_names_the_file_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    """RLIMIT_FSIZE stands for a full disk: the write fails with EFBIG, which names
    no file; the error names the one given."""

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))

    done = subprocess.run(
        [sys.executable, "-m", "viz.cli", *TRAIN, "--save", "m.json"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=small_files,
    )
    assert done.returncode == 1
    assert done.stderr == "deltagrad: error: m.json: File too large\n"
    no_traceback(done)
    assert leftovers(tmp_path) == []
    assert not (tmp_path / "m.json").exists()


def test_saving_into_proc_says_that_the_folder_takes_no_new_files(
    deltagrad: Run,
) -> None:
    result = deltagrad(*TRAIN, "--save", "/proc/version")
    assert result.status == 1
    assert result.err.startswith("deltagrad: error: /proc/version: its folder /proc")
    assert "takes no new files" in result.err
    assert "No such file" not in result.err
