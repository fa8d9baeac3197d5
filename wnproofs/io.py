"""Atomic output: a report or JSON file is either fully written or not there at all.

* :func:`atomic_write_text` / :func:`atomic_write_json` write through a temporary file in
  the same folder, fsync it, and rename it over the target.
* :func:`atomic_directory` builds a folder under a temporary name and puts it in place
  in one step (an atomic exchange where the system has ``renameat2``, else two renames
  with recovery), under :func:`output_lock`.
* :func:`output_lock` serializes writers of one output: a second process asking for the
  same path is refused at once with a message naming the holder's pid.

Temporary names carry the writer's pid and a fixed tag (``.NAME.PID.RAND.wnproofs-tmp``),
so a run killed by SIGKILL leaves something the next run recognizes and removes; if a
crash happened between the two renames of the fallback, the earlier folder (tagged
``.wnproofs-old``) is put back.  Files and folders get the permissions the umask gives
(``mkstemp``/``mkdtemp`` would make them private).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from .errors import InputError

__all__ = [
    "atomic_write_text",
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_savez",
    "atomic_directory",
    "output_lock",
    "clean_stale",
    "current_umask",
    "TMP_TAG",
    "OLD_TAG",
]

#: Suffix of a temporary file or folder being written.
TMP_TAG = ".wnproofs-tmp"
#: Suffix of an earlier folder moved aside while its replacement is renamed in.
OLD_TAG = ".wnproofs-old"
#: Suffix of a lock file.
LOCK_TAG = ".wnproofs-lock"
#: The marker file of a wnproofs report folder (see wnproofs.report.MARKER).
_REPORT_MARKER = ".wnproofs-report"


# ----------------------------------------------------------------------------- umask

def current_umask() -> int:
    """The process umask (read from /proc on Linux; else set and restored at once)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _follow_umask(path: Path, folder: bool) -> None:
    os.chmod(path, (0o777 if folder else 0o666) & ~current_umask())


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# ----------------------------------------------------------------------------- stale temporaries

def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _temp_owner(name: str, final_name: str) -> tuple[int, str] | None:
    """(pid, tag) when ``name`` is a temporary of ``final_name`` written by this module."""
    prefix = f".{final_name}."
    for tag in (TMP_TAG, OLD_TAG):
        if name.startswith(prefix) and name.endswith(tag):
            middle = name[len(prefix):-len(tag)]
            pid = middle.split(".", 1)[0]
            if pid.isdigit():
                return int(pid), tag
    return None


def clean_stale(final: str | os.PathLike, *, all_owners: bool = False) -> list[str]:
    """Remove the temporaries of ``final`` left by killed runs; return what was done.

    A temporary whose writer (the pid in its name) is gone is removed; with
    ``all_owners`` (the caller holds :func:`output_lock` of ``final``) every temporary
    but this process's own is.  An earlier folder moved aside (``.wnproofs-old``) while
    ``final`` is missing is renamed back: the earlier report survives a crash between
    the two renames.  Legacy temporaries of older versions (``.NAME.XXXXXXXX`` folders
    holding a report marker, ``.NAME.old``) are handled the same way.
    """
    final = Path(final)
    parent = final.parent if str(final.parent) else Path(".")
    actions: list[str] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return actions
    me = os.getpid()
    olds: list[Path] = []
    for entry in entries:
        owner = _temp_owner(entry.name, final.name)
        legacy = False
        if owner is None:
            legacy = all_owners and _legacy_temp(entry, final.name)
            if not legacy:
                continue
            pid, tag = -1, (OLD_TAG if entry.name == f".{final.name}.old" else TMP_TAG)
        else:
            pid, tag = owner
        if pid == me or (not all_owners and _pid_alive(pid)):
            continue
        if tag == OLD_TAG:
            olds.append(entry)
            continue
        _remove(entry)
        actions.append(f"removed {entry} (left by a killed run)")
    for old in olds:
        if not final.exists() and not final.is_symlink():
            os.replace(old, final)
            actions.append(f"restored {final} from {old.name} (an interrupted replacement)")
        else:
            _remove(old)
            actions.append(f"removed {old} (left by a killed run)")
    return actions


def _legacy_temp(entry: Path, final_name: str) -> bool:
    name = entry.name
    if name == f".{final_name}.old":
        return entry.is_dir() and (entry / _REPORT_MARKER).exists()
    prefix = f".{final_name}."
    rest = name[len(prefix):] if name.startswith(prefix) else ""
    if len(rest) != 8 or not all(c.isalnum() or c == "_" for c in rest) or not entry.is_dir():
        return False
    try:
        content = [p.name for p in entry.iterdir()]
    except OSError:
        return False
    return not content or _REPORT_MARKER in content or "results.json" in content


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


# ----------------------------------------------------------------------------- files

def _check_file_target(p: Path) -> None:
    if p.is_dir():
        raise InputError(f"{p} is a folder; give a file name", arg="path")
    if p.parent.exists() and not p.parent.is_dir():
        raise InputError(f"{p.parent} is not a folder", arg="path")


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder and rename.

    The file gets the permissions of the umask; temporaries left by killed writers of
    the same file are removed first.
    """
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write_text`)."""
    p = Path(path)
    _check_file_target(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(p)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.{os.getpid()}.", suffix=TMP_TAG, dir=p.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        _follow_umask(Path(tmp), folder=False)
        os.replace(tmp, p)
        _fsync_dir(p.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return p


def atomic_savez(path: str | os.PathLike, **arrays: Any) -> Path:
    """``numpy.savez`` of plain arrays, written atomically; object arrays (pickles) are refused."""
    import io

    import numpy as np

    plain = {}
    for name, a in arrays.items():
        arr = np.asarray(a)
        if arr.dtype.hasobject:
            raise ValueError(f"array {name!r} has dtype object: it would need a pickle")
        plain[name] = arr
    buf = io.BytesIO()
    np.savez(buf, **plain)
    return atomic_write_bytes(path, buf.getvalue())



def atomic_write_json(path: str | os.PathLike, obj: Any) -> Path:
    """JSON (indent 2, NaN refused) written atomically."""
    return atomic_write_text(path, json.dumps(obj, indent=2, allow_nan=False) + "\n")


# ----------------------------------------------------------------------------- lock

#: Locks this process holds, by resolved path: [file descriptor, depth] (re-entrant).
_HELD: dict[str, list] = {}


def _lock_path(final: Path) -> Path:
    return final.parent / f".{final.name}{LOCK_TAG}"


def _holder(lock: Path) -> str:
    try:
        pid = lock.read_text(encoding="ascii").strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""


@contextmanager
def output_lock(path: str | os.PathLike, *, what: str = "output") -> Iterator[Path]:
    """Hold the lock of output ``path`` (``.NAME.wnproofs-lock`` beside it), or refuse.

    Non-blocking: when another process holds it, :class:`InputError` says so at once.
    Re-entrant within a process.  The lock file is removed on release.
    """
    final = Path(path)
    key = str(final.resolve())
    if key in _HELD:
        _HELD[key][1] += 1
        try:
            yield final
        finally:
            _HELD[key][1] -= 1
        return
    final.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock_path(final)
    fd = _acquire(lock, final, what)
    _HELD[key] = [fd, 1]
    try:
        yield final
    finally:
        del _HELD[key]
        _release(lock, fd)


def _acquire(lock: Path, final: Path, what: str) -> int:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: an exclusive create
        return _acquire_excl(lock, final, what)
    for _ in range(20):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666 & ~current_umask())
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise InputError(f"another wnproofs process{_holder(lock)} is writing {what} {final}; "
                                 "wait for it to finish or choose another path", arg="out") from None
            raise
        # the file may have been unlinked by its previous holder between open and flock
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)
    raise InputError(f"could not lock {lock}", arg="out")  # pragma: no cover


def _acquire_excl(lock: Path, final: Path, what: str) -> int:  # pragma: no cover - not POSIX
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        pid = _holder(lock).strip(" ()pid")
        if pid.isdigit() and not _pid_alive(int(pid)):
            _remove(lock)
            return _acquire_excl(lock, final, what)
        raise InputError(f"another wnproofs process{_holder(lock)} is writing {what} {final}; "
                         "wait for it to finish or choose another path", arg="out") from None
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    return fd


def _release(lock: Path, fd: int) -> None:
    with contextlib.suppress(FileNotFoundError):
        lock.unlink()   # while still holding it: a waiter that opened it retries on a new file
    os.close(fd)


# ----------------------------------------------------------------------------- folders

_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextmanager
def atomic_directory(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary sibling folder; on success it replaces ``path`` in one step.

    Under :func:`output_lock` of ``path`` (a concurrent writer is refused).  Temporaries
    of killed runs are cleaned first (see :func:`clean_stale`).  On any exception (Ctrl-C
    and SIGTERM included) the temporary folder is removed and ``path`` is left as it was:
    no half-written report, and the earlier one is never lost.
    """
    final = Path(path)
    final.parent.mkdir(parents=True, exist_ok=True)
    with output_lock(final):
        clean_stale(final, all_owners=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.{os.getpid()}.", suffix=TMP_TAG,
                                    dir=final.parent))
        try:
            yield tmp
            _follow_umask(tmp, folder=True)
            if final.exists() or final.is_symlink():
                if _exchange(tmp, final):
                    _fsync_dir(final.parent)
                    _remove(tmp)   # now holds the earlier folder
                    return
                old = Path(tempfile.mkdtemp(prefix=f".{final.name}.{os.getpid()}.", suffix=OLD_TAG,
                                            dir=final.parent))
                os.rmdir(old)
                os.replace(final, old)
                os.replace(tmp, final)   # a crash in between: clean_stale restores `old`
                _fsync_dir(final.parent)
                _remove(old)
            else:
                os.replace(tmp, final)
                _fsync_dir(final.parent)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
