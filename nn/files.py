"""Writing output files whole or not at all, and checking output paths up front.

:func:`write_atomic` is the one writer of every file deltagrad makes (saved models,
SVG pictures). It writes a temporary file in the target's own folder, fsyncs it and
moves it over the target with ``os.replace``, so a reader sees the old file or the
complete new one, never a part of it. Around that:

* a symbolic link is followed: its real target is replaced, the link stays a link;
* a target that exists but is not a regular file (a folder, a device such as
  ``/dev/null``, a pipe, a socket) is refused before anything is written: replacing
  it would swap a device or pipe for a plain file; so is a name that ends in ``/``
  (a folder's name), and a file that is one of this process's standard streams
  (``--save /dev/stdout >> log.txt`` would replace log.txt);
* replacing is by rename: the target gets a new inode, so a hard link to the old
  file keeps the old contents (hard links are not followed, symbolic links are);
* an existing file keeps its permission bits, and its owner and group when the
  process may set them (root may); a new file gets 0o666 less the umask, as
  ``open(path, "w")`` makes it;
* the temporary name is short (``.dg`` + 8 hex digits + ``.tmp``), so any target
  name the file system allows works;
* on any failure, Ctrl-C included, the temporary file is removed, and errors name
  the path the caller gave, never the temporary file, with the real cause (a full
  disk, a file too large, a folder such as ``/proc`` that takes no new files).
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

__all__ = ["check_output_file", "make_output_folder", "write_atomic"]

_NOT_REGULAR = "is not a regular file (a device, pipe or socket); not replacing it"
_STREAM = (
    "is this process's standard {} (e.g. /dev/stdout redirected to a file); "
    "not replacing it"
)
_STREAMS = ("input", "output", "error")


def _renamed(err: OSError, temporary: str, name: str) -> OSError:
    """``err`` naming the user's ``name``: in place of the ``temporary`` file's, or
    where it names no file at all (a full disk, a file too large)."""
    if err.errno is None:
        return err
    if err.filename is None or temporary in (err.filename, err.filename2):
        return type(err)(err.errno, err.strerror, name)
    return err


def _standard_stream(st: os.stat_result) -> int | None:
    """Which of this process's standard streams (0, 1, 2) is the file ``st``."""
    for fd in (0, 1, 2):
        try:
            other = os.fstat(fd)
        except OSError:  # closed
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            return fd
    return None


@dataclass(frozen=True)
class _Target:
    """Where a write goes: the user's ``name``, the ``real`` path (symlinks
    resolved) and the existing file's stat there (None if there is none yet)."""

    name: str
    real: str
    existing: os.stat_result | None

    @property
    def folder(self) -> str:
        return os.path.dirname(self.real) or "."


def _target(path: str | os.PathLike[str]) -> _Target:
    """Where writing ``path`` goes, after the checks of the module docstring.

    Raises IsADirectoryError for a folder or a name ending in ``/``, OSError for
    another non-regular file or a standard stream."""
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"path must be a str or os.PathLike[str], got {name!r}")
    if name.endswith(os.sep) or (os.altsep and name.endswith(os.altsep)):
        raise IsADirectoryError(
            errno.EISDIR, "ends in '/', so it names a folder; give a file name", name
        )
    real = os.path.realpath(name)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return _Target(name, real, None)
    except OSError as err:  # e.g. a symlink loop, or a parent that is a file
        raise type(err)(err.errno, err.strerror, name) from None
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", name)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, _NOT_REGULAR, name)
    stream = _standard_stream(st)
    if stream is not None:
        raise OSError(errno.EINVAL, _STREAM.format(_STREAMS[stream]), name)
    return _Target(name, real, st)


def _create_temporary(folder: str, name: str) -> tuple[int, str]:
    """A new, empty temporary file in ``folder``: its descriptor and path."""
    while True:
        tmp = os.path.join(folder, f".dg{secrets.token_hex(4)}.tmp")
        try:
            # O_EXCL: a file of our own; mode 0o666 lets the kernel apply the umask
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
        except FileNotFoundError:
            if os.path.isdir(folder):  # /proc, /sys: "no such file" is not the cause
                raise OSError(
                    errno.EACCES,
                    f"its folder {folder} takes no new files (a virtual file "
                    "system such as /proc or /sys)",
                    name,
                ) from None
            raise FileNotFoundError(
                errno.ENOENT, os.strerror(errno.ENOENT), name
            ) from None
        except OSError as err:
            raise _renamed(err, tmp, name) from None


def _keep_owner(fd: int, existing: os.stat_result) -> None:
    """Give the new file the old one's owner and group, where the process may."""
    new = os.fstat(fd)
    if (existing.st_uid, existing.st_gid) == (new.st_uid, new.st_gid):
        return
    with contextlib.suppress(PermissionError):
        os.fchown(fd, existing.st_uid, existing.st_gid)


def check_output_file(path: str | os.PathLike[str]) -> Path:
    """Check, before long work, that :func:`write_atomic` can write ``path`` later:
    the target is a regular file or does not exist yet, and its folder exists and
    takes new files (probed by creating and removing a temporary file there).

    Raises:
        OSError: naming ``path``: IsADirectoryError, FileNotFoundError (no such
            folder), NotADirectoryError, PermissionError, or a non-regular target.
    """
    target = _target(path)
    fd, tmp = _create_temporary(target.folder, target.name)
    os.close(fd)
    os.unlink(tmp)
    return Path(target.name)


def make_output_folder(path: str | os.PathLike[str]) -> Path:
    """Create the folder ``path`` (and its parents) unless it exists, and check that
    it takes new files.

    Raises:
        NotADirectoryError: ``path`` exists and is not a folder.
        OSError: it cannot be created or written to; the error names ``path``.
    """
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "is not a folder", os.fspath(path))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a parent is a file, or a dangling symlink is in the way
        raise NotADirectoryError(
            errno.ENOTDIR, "is not a folder", os.fspath(path)
        ) from None
    fd, tmp = _create_temporary(os.fspath(folder), os.fspath(path))
    os.close(fd)
    os.unlink(tmp)
    return folder


def write_atomic(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see the module docstring).

    The folder must exist. Returns ``path`` as a ``Path`` (as given, not resolved).

    Raises:
        OSError: naming ``path``: a folder or other non-regular target, a missing or
            unwritable folder, a full disk, a name too long.
    """
    target = _target(path)
    name = target.name
    fd, tmp = _create_temporary(target.folder, name)
    try:
        with os.fdopen(fd, "wb") as f:
            if target.existing is not None:
                _keep_owner(f.fileno(), target.existing)  # before chmod: it may
                os.fchmod(f.fileno(), stat.S_IMODE(target.existing.st_mode) & 0o777)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target.real)
    except BaseException as err:  # Ctrl-C, SIGTERM and SIGHUP (as deltagrad raises)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _renamed(err, tmp, name) from None
        raise
    _sync_folder(target.folder)
    return Path(name)


def _sync_folder(folder: str) -> None:
    """Make the rename durable; not every file system can fsync a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
