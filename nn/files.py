"""Writing output files whole or not at all, and checking output paths up front.

:func:`write_atomic` is the one writer of every file deltagrad makes (saved models,
SVG pictures). It writes a temporary file in the target's own folder, fsyncs it and
moves it over the target with ``os.replace``, so a reader sees the old file or the
complete new one, never a part of it. Around that:

* a symbolic link is followed: its real target is replaced, the link stays a link;
* a target that exists but is not a regular file (a folder, a device such as
  ``/dev/null``, a pipe, a socket) is refused before anything is written: replacing
  it would swap a device or pipe for a plain file;
* an existing file keeps its permission bits; a new file gets 0o666 less the umask,
  as ``open(path, "w")`` makes it;
* the temporary name is short (``.dg`` + 8 hex digits + ``.tmp``), so any target
  name the file system allows works;
* on any failure, Ctrl-C included, the temporary file is removed, and errors name
  the path the caller gave, never the temporary file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = ["check_output_file", "make_output_folder", "write_atomic"]

_NOT_REGULAR = "is not a regular file (a device, pipe or socket); not replacing it"


def _renamed(err: OSError, temporary: str, name: str) -> OSError:
    """``err`` with the user's ``name`` in place of the ``temporary`` file's."""
    if temporary in (err.filename, err.filename2) and err.errno is not None:
        return type(err)(err.errno, err.strerror, name)
    return err


def _target(path: str | os.PathLike[str]) -> tuple[str, str, int | None]:
    """The user's name of ``path``, its real path (symlinks resolved), and the
    permission bits of the existing file there (None if there is none yet).

    Raises IsADirectoryError for a folder, OSError for another non-regular file."""
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"path must be a str or os.PathLike[str], got {name!r}")
    real = os.path.realpath(name)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return name, real, None
    except OSError as err:  # e.g. a symlink loop, or a parent that is a file
        raise type(err)(err.errno, err.strerror, name) from None
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", name)
    if not stat.S_ISREG(st.st_mode):
        raise OSError(errno.EINVAL, _NOT_REGULAR, name)
    return name, real, stat.S_IMODE(st.st_mode) & 0o777


def _create_temporary(folder: str, name: str) -> tuple[int, str]:
    """A new, empty temporary file in ``folder``: its descriptor and path."""
    while True:
        tmp = os.path.join(folder, f".dg{secrets.token_hex(4)}.tmp")
        try:
            # O_EXCL: a file of our own; mode 0o666 lets the kernel apply the umask
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue
        except OSError as err:
            raise _renamed(err, tmp, name) from None


def check_output_file(path: str | os.PathLike[str]) -> Path:
    """Check, before long work, that :func:`write_atomic` can write ``path`` later:
    the target is a regular file or does not exist yet, and its folder exists and
    takes new files (probed by creating and removing a temporary file there).

    Raises:
        OSError: naming ``path``: IsADirectoryError, FileNotFoundError (no such
            folder), NotADirectoryError, PermissionError, or a non-regular target.
    """
    name, real, _ = _target(path)
    fd, tmp = _create_temporary(os.path.dirname(real) or ".", name)
    os.close(fd)
    os.unlink(tmp)
    return Path(name)


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
    name, real, mode = _target(path)
    fd, tmp = _create_temporary(os.path.dirname(real) or ".", name)
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, real)
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(err, OSError):
            raise _renamed(err, tmp, name) from None
        raise
    _sync_folder(os.path.dirname(real) or ".")
    return Path(name)


def _sync_folder(folder: str) -> None:
    """Make the rename durable; not every file system can fsync a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
