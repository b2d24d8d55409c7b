"""Processes and ports of the local engine's nodes: spawn one detached, tell whether it still runs
(and is ours, not a recycled pid), find free ports."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import psutil


class LocalEngineError(RuntimeError):
    """The local engine could not be built, started or stopped; the message says why."""


def log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours still "exists"; reap it if so.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False  # it went between os.kill and here
    except psutil.AccessDenied:
        return True


def is_our_node(pid: int, node_home: Path, main_class: str) -> bool:
    """Guard against a recycled pid: the process must be our launcher for this node directory."""
    try:
        cmdline = " ".join(psutil.Process(pid).cmdline())
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    return main_class in cmdline and str(node_home) in cmdline


def port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def spawn_detached(cmd: list[str], *, cwd: Path, log_file: Path) -> int:
    """Start ``cmd`` in its own session with output appended to ``log_file``; returns its pid.

    posix_spawn rather than Popen: the node outlives this Python process (``panier es start``
    returns), so there is no Popen object to keep, only a pid file.
    """
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log_file), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    here = os.getcwd()
    os.chdir(cwd)  # posix_spawn has no cwd argument before Python 3.13
    try:
        return os.posix_spawn(cmd[0], cmd, os.environ, file_actions=actions, setsid=True)
    finally:
        os.chdir(here)


def free_port() -> int:
    """A TCP port nothing listens on now, with the port 100 above it free too (transport)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + 100 < 65536 and not port_open(port + 100):
            return port
    raise LocalEngineError("could not find a free port pair")
