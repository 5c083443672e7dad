"""The one writer of every output file (``nn.files``), promise by promise of its
docstring: whole or not at all (on an exception too, Ctrl-C included), a symlink's
target replaced and the link kept, non-regular targets refused before writing, the
mode kept or the umask followed, a short temporary name, errors that name the user's
path and never the temporary file; and the up-front checks ``check_output_file`` and
``make_output_folder``."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nn import files
from nn.files import check_output_file, make_output_folder, write_atomic

#: The temporary file's name: ".dg", 8 hex digits, ".tmp".
TEMPORARY = re.compile(r"\.dg[0-9a-f]{8}\.tmp")


def names_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def old_file(tmp_path: Path) -> Path:
    path = tmp_path / "out.svg"
    path.write_bytes(b"the old contents\n")
    return path


# --- whole or not at all --------------------------------------------------------------


@given(data=st.binary(max_size=5000))
def test_what_is_written_is_read_back_byte_for_byte(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("w")
    path = folder / "f.bin"
    assert write_atomic(path, data) == path
    assert path.read_bytes() == data
    assert names_in(folder) == ["f.bin"]


def test_the_target_changes_only_by_one_rename_of_a_complete_synced_file(
    old_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until the rename, the target holds the old bytes; the file renamed over it
    is in the same folder, has a short temporary name, holds every new byte and was
    fsynced first. So a reader sees the old file or the new one, never a part."""
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("fsync")
        real_fsync(fd)

    def replace(src: Any, dst: Any, **kwargs: Any) -> None:
        events.append("replace")
        src_path, dst_path = Path(src), Path(dst)
        assert dst_path == old_file
        assert src_path.parent == old_file.parent
        assert TEMPORARY.fullmatch(src_path.name)
        assert src_path.read_bytes() == b"new " * 1000
        assert old_file.read_bytes() == b"the old contents\n"
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_atomic(old_file, b"new " * 1000)
    assert events[:2] == ["fsync", "replace"]
    assert old_file.read_bytes() == b"new " * 1000


def _raise(error: BaseException) -> Callable[..., None]:
    def fail(*args: object, **kwargs: object) -> None:
        raise error

    return fail


FAILURES = [
    ("fsync", OSError(errno.ENOSPC, "No space left on device")),
    ("replace", OSError(errno.EIO, "Input/output error")),
    ("fsync", KeyboardInterrupt()),
    ("replace", KeyboardInterrupt()),
    ("fsync", RuntimeError("a bug")),
]


@pytest.mark.parametrize(
    ("step", "error"), [*FAILURES, ("fchmod", OSError(errno.EPERM, "Not permitted"))]
)
def test_an_exception_while_writing_leaves_the_old_file_and_no_temporary_file(
    old_file: Path, monkeypatch: pytest.MonkeyPatch, step: str, error: BaseException
) -> None:
    monkeypatch.setattr(os, step, _raise(error))
    with pytest.raises(type(error)):
        write_atomic(old_file, b"the new contents\n")
    monkeypatch.undo()
    assert old_file.read_bytes() == b"the old contents\n"
    assert names_in(old_file.parent) == ["out.svg"]


@pytest.mark.parametrize(("step", "error"), FAILURES)
def test_an_exception_while_writing_a_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, error: BaseException
) -> None:
    monkeypatch.setattr(os, step, _raise(error))
    with pytest.raises(type(error)):
        write_atomic(tmp_path / "new.svg", b"x")
    monkeypatch.undo()
    assert names_in(tmp_path) == []


# --- symbolic links -------------------------------------------------------------------


def test_a_symlinks_target_is_replaced_and_the_link_stays_a_link(
    tmp_path: Path,
) -> None:
    real = tmp_path / "models" / "net.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(os.path.relpath(real, tmp_path))  # a relative link
    chain = tmp_path / "current.json"
    chain.symlink_to(link)
    assert write_atomic(chain, b"new") == chain
    assert chain.is_symlink()
    assert link.is_symlink()
    assert os.readlink(link) == os.path.join("models", "net.json")
    assert real.read_bytes() == b"new"
    assert names_in(real.parent) == ["net.json"]
    assert names_in(tmp_path) == ["current.json", "latest.json", "models"]


def test_a_dangling_symlink_gets_its_target_created(tmp_path: Path) -> None:
    link = tmp_path / "link.svg"
    link.symlink_to(tmp_path / "made.svg")
    write_atomic(link, b"svg")
    assert link.is_symlink()
    assert (tmp_path / "made.svg").read_bytes() == b"svg"


# --- targets that are not regular files -----------------------------------------------


def _no_file_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every file os.open would create (none may be, for a refused target)."""
    made: list[str] = []
    real_open = os.open

    def spy(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            made.append(os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    return made


def test_a_folder_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "adir").mkdir()
    link = tmp_path / "to_dir"
    link.symlink_to(tmp_path / "adir")
    made = _no_file_made(monkeypatch)
    for target in (tmp_path / "adir", link):
        with pytest.raises(IsADirectoryError, match="is a folder") as info:
            write_atomic(target, b"x")
        assert info.value.filename == str(target)
    assert made == []
    assert names_in(tmp_path / "adir") == []


def test_a_pipe_is_refused_before_anything_is_written_and_stays_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "pipe.svg"
    os.mkfifo(fifo)
    made = _no_file_made(monkeypatch)
    with pytest.raises(OSError, match="not a regular file") as info:
        write_atomic(fifo, b"x")  # would block forever if it opened the pipe
    assert info.value.errno == errno.EINVAL
    assert info.value.filename == str(fifo)
    assert made == []
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert names_in(tmp_path) == ["pipe.svg"]


def test_a_device_is_refused_and_not_swapped_for_a_plain_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = _no_file_made(monkeypatch)
    with pytest.raises(OSError, match="not a regular file") as info:
        write_atomic("/dev/null", b"x")
    assert info.value.filename == "/dev/null"
    assert made == []
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


# --- permission bits ------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o444, 0o755])
def test_an_existing_file_keeps_its_permission_bits(
    old_file: Path, mode: int
) -> None:
    old_file.chmod(mode)
    write_atomic(old_file, b"new")
    assert stat.S_IMODE(old_file.stat().st_mode) == mode
    assert old_file.read_bytes() == b"new"


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    """Set the process's umask for one test (and restore it afterwards)."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask  # type: ignore[misc]
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077, 0o027, 0o000])
def test_a_new_file_gets_0o666_less_the_umask_as_open_makes_it(
    tmp_path: Path, umask: Callable[[int], None], mask: int
) -> None:
    umask(mask)
    write_atomic(tmp_path / "new.svg", b"x")
    with open(tmp_path / "by_open", "w"):
        pass
    want = stat.S_IMODE((tmp_path / "by_open").stat().st_mode)
    assert want == 0o666 & ~mask
    assert stat.S_IMODE((tmp_path / "new.svg").stat().st_mode) == want


# --- names ----------------------------------------------------------------------------


def test_any_name_the_file_system_allows_works(tmp_path: Path) -> None:
    """The temporary name (15 characters) is shorter than the target's can be."""
    name = "m" * 255  # NAME_MAX on Linux file systems
    write_atomic(tmp_path / name, b"x")
    assert names_in(tmp_path) == [name]


def test_a_relative_path_is_written_in_the_working_folder_and_returned_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert write_atomic("here.svg", b"x") == Path("here.svg")
    assert (tmp_path / "here.svg").read_bytes() == b"x"


def test_a_path_that_is_not_text_is_a_type_error(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"path must be a str or os\.PathLike"):
        write_atomic(os.fsencode(tmp_path / "x"), b"x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("where", "error"),
    [("missing/out.svg", FileNotFoundError), ("afile/out.svg", NotADirectoryError)],
)
def test_a_missing_folder_is_named_by_the_users_path(
    tmp_path: Path, where: str, error: type[OSError]
) -> None:
    (tmp_path / "afile").write_text("")
    with pytest.raises(error) as info:
        write_atomic(tmp_path / where, b"x")
    assert info.value.filename == str(tmp_path / where)
    assert not TEMPORARY.search(str(info.value))
    assert names_in(tmp_path) == ["afile"]


def test_a_symlink_loop_is_named_by_the_users_path(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.symlink_to(b)
    b.symlink_to(a)
    with pytest.raises(OSError, match="ymbolic links") as info:
        write_atomic(a, b"x")
    assert info.value.errno == errno.ELOOP
    assert info.value.filename == str(a)


@pytest.mark.parametrize("step", ["open", "replace"])
def test_errors_about_the_temporary_file_name_the_users_path_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """An unwritable folder fails at os.open of the temporary file, a read-only file
    system at the rename: the error names the path the caller gave, never the
    temporary file (and no temporary file is left)."""
    target = tmp_path / "out.svg"
    real = getattr(os, step)

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if TEMPORARY.fullmatch(os.path.basename(os.fspath(path))):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, step, refuse)
    with pytest.raises(PermissionError, match="Permission denied") as info:
        write_atomic(target, b"x")
    monkeypatch.undo()
    assert info.value.filename == str(target)
    assert not TEMPORARY.search(str(info.value))
    assert names_in(tmp_path) == []


# --- checking before long work --------------------------------------------------------


def test_check_output_file_accepts_a_new_or_regular_file_and_leaves_no_trace(
    old_file: Path,
) -> None:
    new = old_file.parent / "new.svg"
    assert check_output_file(new) == new
    assert check_output_file(old_file) == old_file
    assert old_file.read_bytes() == b"the old contents\n"
    assert names_in(old_file.parent) == ["out.svg"]


def test_check_output_file_probes_that_the_folder_takes_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder that refuses new files (probed by making one) fails the check now,
    not after the work; the error names the user's path."""
    real = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(PermissionError) as info:
        check_output_file(tmp_path / "out.svg")
    assert info.value.filename == str(tmp_path / "out.svg")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda p: p.mkdir(), IsADirectoryError, "is a folder"),
        (os.mkfifo, OSError, "not a regular file"),
        (None, FileNotFoundError, "No such file"),
    ],
)
def test_check_output_file_refuses_what_write_atomic_would_refuse(
    tmp_path: Path,
    make: Callable[[Path], object] | None,
    error: type[OSError],
    message: str,
) -> None:
    target = tmp_path / "t" if make is not None else tmp_path / "missing" / "t"
    if make is not None:
        make(target)
    with pytest.raises(error, match=message) as checked:
        check_output_file(target)
    with pytest.raises(error, match=message) as written:
        write_atomic(target, b"x")
    assert checked.value.filename == written.value.filename == str(target)


def test_make_output_folder_creates_parents_and_accepts_an_existing_folder(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "a" / "b" / "c"
    assert make_output_folder(folder) == folder
    assert folder.is_dir()
    assert make_output_folder(folder) == folder
    assert names_in(folder) == []


@pytest.mark.parametrize("where", ["afile", "afile/sub", "dangling", "dangling/sub"])
def test_make_output_folder_refuses_a_file_in_the_way_naming_the_path(
    tmp_path: Path, where: str
) -> None:
    (tmp_path / "afile").write_text("keep")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(NotADirectoryError) as info:
        make_output_folder(tmp_path / where)
    assert info.value.filename == str(tmp_path / where)
    assert (tmp_path / "afile").read_text() == "keep"


def test_make_output_folder_probes_that_the_folder_takes_new_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with pytest.raises(PermissionError) as info:
        make_output_folder(tmp_path / "out")
    assert info.value.filename == str(tmp_path / "out")


def test_the_module_exports_its_three_functions() -> None:
    assert files.__all__ == ["check_output_file", "make_output_folder", "write_atomic"]


# --- targets that are not what they seem, and faults of the system -------------------


@pytest.mark.parametrize("name", ["x/", "folder/sub/"])
def test_a_name_ending_in_a_slash_names_a_folder_and_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    for check in (check_output_file, lambda p: write_atomic(p, b"x")):
        with pytest.raises(IsADirectoryError, match="names a folder") as info:
            check(name)
        assert info.value.filename == name
    assert names_in(tmp_path) == ["folder"]
    assert names_in(tmp_path / "folder") == []


def test_a_standard_stream_redirected_to_a_file_is_refused(tmp_path: Path) -> None:
    """``--save /dev/stdout >> log.txt``: /dev/stdout resolves to log.txt, a regular
    file, which replacing would empty of its earlier lines."""
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    script = (
        "import sys\n"
        "from nn.files import check_output_file, write_atomic\n"
        "for write in (check_output_file, lambda p: write_atomic(p, b'model')):\n"
        "    try:\n"
        "        write('/dev/stdout')\n"
        "    except OSError as err:\n"
        "        print(err.filename, err.strerror, file=sys.stderr)\n"
    )
    with log.open("a") as out:
        done = subprocess.run([sys.executable, "-c", script], stdout=out,
                              stderr=subprocess.PIPE, text=True, check=True,
                              timeout=60)
    assert log.read_text() == "earlier line\n"
    assert done.stderr.splitlines() == [
        "/dev/stdout is this process's standard output (e.g. /dev/stdout "
        "redirected to a file); not replacing it"
    ] * 2


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file away")
def test_replacing_a_file_of_another_user_keeps_its_owner_and_group(
    old_file: Path,
) -> None:
    os.chown(old_file, 65534, 65534)
    write_atomic(old_file, b"new")
    st = old_file.stat()
    assert (st.st_uid, st.st_gid) == (65534, 65534)
    assert old_file.read_bytes() == b"new"


def test_a_file_of_ones_own_keeps_its_owner_and_group(old_file: Path) -> None:
    before = old_file.stat()
    write_atomic(old_file, b"new")
    after = old_file.stat()
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)


def test_replacing_is_by_rename_so_a_hard_link_keeps_the_old_contents(
    old_file: Path,
) -> None:
    """As the module docstring says: hard links are not followed."""
    other = old_file.parent / "other-name"
    os.link(old_file, other)
    write_atomic(old_file, b"new")
    assert old_file.read_bytes() == b"new"
    assert other.read_bytes() == b"the old contents\n"
    assert old_file.stat().st_ino != other.stat().st_ino


@pytest.mark.parametrize(
    ("code", "cause"),
    [(errno.ENOSPC, "No space left on device"), (errno.EFBIG, "File too large"),
     (errno.EIO, "Input/output error")],
)
def test_a_full_disk_is_named_by_the_users_path_with_its_cause(
    old_file: Path, monkeypatch: pytest.MonkeyPatch, code: int, cause: str
) -> None:
    """The kernel's ENOSPC and EFBIG name no file; the error names the target."""

    def full(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match=cause) as info:
        write_atomic(old_file, b"new")
    monkeypatch.undo()
    assert (info.value.errno, info.value.strerror) == (code, cause)
    assert info.value.filename == str(old_file)
    assert old_file.read_bytes() == b"the old contents\n"
    assert names_in(old_file.parent) == ["out.svg"]


def test_a_file_over_rlimit_fsize_is_named_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    """A real limit on the size of files (as a full disk, but portable)."""
    script = (
        "import resource, sys\n"
        "from nn.files import write_atomic\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))\n"
        "try:\n"
        "    write_atomic('big.json', b'x' * 5000)\n"
        "except OSError as err:\n"
        "    print(err.filename, err.strerror, sep=': ')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path,
                          capture_output=True, text=True, check=True, timeout=60,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.stdout == "big.json: File too large\n"
    assert names_in(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_a_folder_that_takes_no_new_files_is_the_cause_named(tmp_path: Path) -> None:
    """/proc/version is a 'regular file' whose folder refuses new ones: the
    error says so, not 'No such file or directory'."""
    for check in (check_output_file, lambda p: write_atomic(p, b"x")):
        with pytest.raises(OSError, match="takes no new files") as info:
            check("/proc/version")
        assert info.value.filename == "/proc/version"
