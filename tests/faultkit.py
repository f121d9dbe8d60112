"""Machine faults on demand, for tests/test_faults_*.py: a small real file system to fill, a
read-only mount, a drive that vanishes or answers with I/O errors — at a chosen step of a
real CLI command running in a child process.

The child (``python -m tests.faultkit SPEC_JSON -- CLI ARGS``) patches one function of the
app (``spec["hook"]``, "module:Qualified.name") so that the first time it runs — at its
start, or, for ``storage.progress:Meter.add``, when half of the work is done — the fault
happens: the file system is filled to the last byte (``fill``), the file-size limit of the
process is set to nothing (``rlimit``), the mount holding the workspace is lazily unmounted
(``vanish``) or the LD_PRELOAD shim starts answering EIO (``eio``). Then it runs
``cli.main.main(args)`` and exits with its status. The fault itself is the kernel's (or the
shim's): the patch only chooses the moment. The parent checks the stderr line, the exit code
and, after the space is freed or the drive is back, the workspace.

File systems (``Disk``): a 6 MiB tmpfs mounted by the test when it runs as root (CI does);
otherwise, or with CCUS_ATTEST_FAULT_MODE=rlimit, a plain folder and RLIMIT_FSIZE in the
child, where writes fail with EFBIG ("file too large") instead of ENOSPC.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TMPFS_SIZE = "6m"
FILLER = "filler.bin"
MODE_ENV = "CCUS_ATTEST_FAULT_MODE"


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def mode() -> str:
    """"tmpfs" (root: a real size-limited file system) or "rlimit" (the fallback)."""
    forced = os.environ.get(MODE_ENV)
    if forced in ("tmpfs", "rlimit"):
        return forced
    return "tmpfs" if is_root() and shutil.which("mount") else "rlimit"


def mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True)


def umount(target: Path) -> None:
    done = subprocess.run(["umount", str(target)], capture_output=True, check=False)
    if done.returncode != 0:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def fill(folder: Path, leave: int = 0) -> None:
    """Write zeros into ``folder/filler.bin`` until at most ``leave`` bytes are free."""
    path = Path(folder) / FILLER
    with open(path, "ab") as fh:
        for chunk in (1 << 20, 1 << 16, 1 << 12):
            block = bytes(chunk)
            try:
                while shutil.disk_usage(folder).free - chunk >= leave:
                    fh.write(block)
                    fh.flush()
            except OSError as exc:
                if exc.errno != errno.ENOSPC:
                    raise


@dataclass
class Disk:
    root: Path
    mode: str  # "tmpfs" | "rlimit"

    @property
    def limited(self) -> bool:
        return self.mode == "tmpfs"

    def fill(self, leave: int = 0) -> None:
        if not self.limited:  # never fill the machine's own disk
            raise RuntimeError("only a small tmpfs is filled; this run uses RLIMIT_FSIZE")
        fill(self.root, leave)

    def unfill(self) -> None:
        (self.root / FILLER).unlink(missing_ok=True)

    def free(self) -> int:
        return shutil.disk_usage(self.root).free

    def clear(self) -> None:
        for p in self.root.iterdir():
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()


@contextlib.contextmanager
def small_disk(where: Path):
    where.mkdir(parents=True, exist_ok=True)
    how = mode()
    if how == "tmpfs":
        mount("-t", "tmpfs", "-o", f"size={TMPFS_SIZE},mode=0700", "tmpfs", str(where))
    try:
        yield Disk(where, how)
    finally:
        if how == "tmpfs":
            umount(where)


@contextlib.contextmanager
def read_only_view(source: Path, where: Path):
    """``source`` seen through a read-only bind mount at ``where`` (root only). chmod would not
    do: root writes through permissions, but not through a read-only mount."""
    where.mkdir(parents=True, exist_ok=True)
    mount("--bind", str(source), str(where))
    try:
        mount("-o", "remount,bind,ro", str(where))
        yield where
    finally:
        umount(where)


# --- the EIO shim ---------------------------------------------------------------------------

SHIM_SOURCE = Path(__file__).with_name("fault_shim.c")


def build_shim(out_dir: Path) -> Path | None:
    """Compile the LD_PRELOAD shim; None when there is no C compiler."""
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if cc is None:
        return None
    out = out_dir / "fault_shim.so"
    subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", str(out), str(SHIM_SOURCE), "-ldl"],
                   check=True, capture_output=True)
    return out


# --- the child --------------------------------------------------------------------------------


def _resolve(target: str):
    module_name, _, qual = target.partition(":")
    owner = importlib.import_module(module_name)
    parts = qual.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    return owner, parts[-1]


def _fault(spec: dict) -> None:
    how = spec["how"]
    if how == "fill":
        fill(Path(spec["disk"]), spec.get("leave", 0))
    elif how == "rlimit":
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
    elif how == "vanish":
        subprocess.run(["umount", "-l", spec["mount"]], check=True, capture_output=True)
    elif how == "eio":
        Path(spec["trigger"]).write_text("on")
    else:
        raise AssertionError(how)


def install(spec: dict) -> None:
    owner, name = _resolve(spec["hook"])
    original = getattr(owner, name)
    state = {"fired": False}
    half = spec.get("when") == "half"

    @functools.wraps(original)
    def hooked(*args, **kwargs):
        if not state["fired"]:
            if not half:
                state["fired"] = True
                _fault(spec)
            else:
                meter = args[0]
                if meter.total >= spec.get("min_total", 0) and meter.done * 2 >= meter.total > 0:
                    state["fired"] = True
                    _fault(spec)
        return original(*args, **kwargs)

    setattr(owner, name, hooked)


def child_main(argv: list[str]) -> int:
    spec = json.loads(argv[0])
    args = argv[argv.index("--") + 1:]
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG as an error, not a killed process
    if spec.get("hook") == "now":
        _fault(spec)
    elif spec.get("hook"):
        install(spec)
    from cli.main import main

    return main(args)


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(args: list[str], spec: dict | None = None, *, env: dict | None = None,
            passphrase: str | None = None) -> Run:
    """``python -m tests.faultkit SPEC -- ARGS`` (or plain ``main.py ARGS`` without a spec)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    if passphrase is not None:
        full_env["CCUS_ATTEST_PASSPHRASE"] = passphrase
    cmd = [sys.executable, "-m", "tests.faultkit", json.dumps(spec or {}), "--", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=300,
                          check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))


def stderr_prefix(lang: str, *, warning: bool = False) -> str:
    """How the CLI starts an error or warning line in each language ("エラー" / "警告" in Japanese)."""
    word = ("警告" if lang == "ja" else "warning") if warning else ("エラー" if lang == "ja" else "error")
    return f"ccus-attest: {word}: "
