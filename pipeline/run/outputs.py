"""Writing a run's folder atomically: build aside, then move into place under a lock.

- Nothing partial: the run's folder is written in a hidden staging folder beside its target
  and renamed into place only once everything in it is written and flushed to disk.
- A second run for the same month replaces the first only when it has succeeded: the old
  folder is moved aside, the new one renamed in, and the old one deleted.
- An interrupted run (power cut, killed process) leaves at most a hidden staging or retired
  folder; the next run for the same output folder tidies them up, first putting back an
  earlier folder that was moved aside but never replaced. Other months are never touched.
- Two runs writing to the same output folder at once take turns: each holds the lock file
  ``OUT/.lac-report.lock`` while it writes (the second waits for the first, up to a limit).
- Folders and files are made as the process would make any (``os.mkdir``, ``open``), so they
  honour its umask: with ``UMask=0027`` the owning group can read the reports. (``tempfile``
  would make the staging folder, and so the run folder, readable by its owner alone.)
- A single file (``--errors FILE``, ``compare --csv FILE``) is written beside itself and renamed
  into place the same way (``replaced_file``): an interrupted write leaves the old file or none.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("lac_report")

LOCK_NAME = ".lac-report.lock"
LOCK_WAIT_SECONDS = 120.0
STAGING = ".staging-"
RETIRED = ".retired-"


class OutputBusy(Exception):
    """Another run held the lock on the output folder for longer than this run would wait."""


@contextlib.contextmanager
def output_lock(out: Path, *, wait: float = LOCK_WAIT_SECONDS, poll: float = 0.2) -> Iterator[None]:
    """Hold ``OUT/.lac-report.lock`` for the duration, waiting up to ``wait`` seconds for another run.

    The lock is an advisory ``flock``: the operating system releases it when the process ends,
    however it ends, so a killed run never leaves the folder locked.
    """
    out.mkdir(parents=True, exist_ok=True)
    with open(out / LOCK_NAME, "a+") as handle:
        deadline = time.monotonic() + wait
        waiting = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as error:
                if not waiting and wait > 0:
                    log.warning("another lac-report run is writing to %s: waiting for it (up to %.0f s)", out, wait)
                    waiting = True
                if time.monotonic() >= deadline:
                    raise OutputBusy(
                        f"another lac-report run is writing to {out}; try again when it has finished"
                    ) from error
                time.sleep(poll)
        try:
            for action in recover(out):
                log.warning("an earlier run was interrupted: %s", action)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def recover(out: Path) -> list[str]:
    """Tidy what interrupted runs left in ``out`` (call it holding the lock); say what was done.

    A retired folder whose target is missing is put back (the run stopped between moving the old
    folder aside and renaming the new one in); every other staging or retired folder is deleted.
    """
    done: list[str] = []
    for leftover in sorted(out.glob(f".*{RETIRED}*")):
        target = out / leftover.name[1:].split(RETIRED, 1)[0]
        kept = leftover / target.name
        if kept.is_dir() and not target.exists():
            os.rename(kept, target)
            done.append(f"restored {target.name}")
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in sorted(out.glob(f".*{STAGING}*")):
        shutil.rmtree(leftover, ignore_errors=True)
        done.append(f"removed the unfinished {leftover.name[1:].split(STAGING, 1)[0]}")
    return done


@contextlib.contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target`` in one rename.

    On any exception (or Ctrl-C) the staged folder is removed and ``target`` is left as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _new_folder(target.parent, f".{target.name}{STAGING}")
    try:
        yield staging
        _fsync_tree(staging)
        _replace(staging, target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


@contextlib.contextmanager
def replaced_file(target: Path) -> Iterator[Path]:
    """Yield a path beside ``target`` to write; on success it replaces ``target`` in one rename.

    On any exception (or Ctrl-C) the partial file is removed and ``target`` is left as it was.
    """
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    try:
        yield partial
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def _new_folder(parent: Path, prefix: str) -> Path:
    """A new, empty folder ``parent/prefix<random>``, made with the process's umask (unlike ``tempfile``'s)."""
    while True:
        folder = parent / f"{prefix}{secrets.token_hex(4)}"
        try:
            folder.mkdir()
        except FileExistsError:
            continue
        return folder


def _replace(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        _fsync_dir(target.parent)
        return
    retired = _new_folder(target.parent, f".{target.name}{RETIRED}")
    os.rename(target, retired / target.name)
    try:
        os.rename(staging, target)
    except BaseException:
        os.rename(retired / target.name, target)
        raise
    else:
        _fsync_dir(target.parent)
    finally:
        shutil.rmtree(retired, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    """Flush every file and folder under ``folder`` to disk before it is renamed into place."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
