"""The embedded set-up's processes, run together (`secretariat serve`, which `scripts/run` ends
with): the web server (gunicorn), one job worker and the daily scheduler, as children of this
process and in its process group.

- Ctrl-C in the terminal (SIGINT to the whole group), SIGTERM or SIGHUP to this process: every
  child is told to stop (SIGTERM); one still running ``STOP_SECONDS`` later is killed. This
  process returns once all three have ended, so nothing is left behind.
- The web server ends by itself (e.g. its address is taken): the others are stopped too and
  its exit status is returned.
- The worker or the scheduler ends by itself: it is started again after a pause that doubles
  from 1 s to ``RESTART_MAX_SECONDS`` (what systemd's ``Restart=always`` does in production).
- This process is killed outright (SIGKILL): on Linux the kernel sends each child SIGTERM (the
  parent-death signal), and gunicorn's own workers leave when their master is gone.

No Django here; the children load it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

STOP_SECONDS = 20
RESTART_MAX_SECONDS = 60
# A child that ran this long before it ended starts again after the shortest pause.
STEADY_SECONDS = 60
POLL_SECONDS = 0.2
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass
class Child:
    name: str  # for messages: 網頁伺服器, 背景工作程序, 每日排程
    argv: list[str]
    essential: bool  # when it ends, everything ends
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    pause: float = 1.0
    restart_at: float | None = None


def _parent_death_signal() -> Callable[[], None] | None:
    """A ``preexec_fn`` that asks Linux to send the child SIGTERM when this process dies; None
    elsewhere. Runs between fork and exec: only the already loaded ``prctl`` is called."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def set_signal() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)

    return set_signal


def _say(message: str) -> None:
    print(f"[secretariat serve] {message}", file=sys.stderr, flush=True)


class Supervisor:
    def __init__(self, children: list[Child], env: dict[str, str]) -> None:
        self.children = children
        self.env = env
        self.stop_requested: int | None = None
        self.preexec = _parent_death_signal()

    def _on_signal(self, signum: int, _frame) -> None:
        self.stop_requested = signum

    def _start(self, child: Child) -> None:
        # preexec_fn is unsafe only with threads, and this process has none.
        child.process = subprocess.Popen(child.argv, env=self.env, preexec_fn=self.preexec)
        child.started_at = time.monotonic()
        child.restart_at = None

    def _ended(self, child: Child, code: int, now: float) -> None:
        """A worker or the scheduler ended by itself: start it again after a pause."""
        if now - child.started_at >= STEADY_SECONDS:
            child.pause = 1.0
        _say(f"{child.name}已結束（結束代碼 {code}），{child.pause:g} 秒後重新啟動。")
        child.process = None
        child.restart_at = now + child.pause
        child.pause = min(child.pause * 2, RESTART_MAX_SECONDS)

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, self._on_signal)
        for child in self.children:
            self._start(child)
        while self.stop_requested is None:
            now = time.monotonic()
            for child in self.children:
                if child.process is not None and (code := child.process.poll()) is not None:
                    if child.essential:
                        _say(f"{child.name}已結束（結束代碼 {code}），停止其他程序。")
                        self._stop_all()
                        return code
                    self._ended(child, code, now)
                elif child.restart_at is not None and now >= child.restart_at:
                    self._start(child)
            time.sleep(POLL_SECONDS)
        name = signal.Signals(self.stop_requested).name
        _say(f"收到 {name}，停止網頁伺服器、背景工作程序與每日排程。")
        return self._stop_all()

    def _stop_all(self) -> int:
        """Tell every child to stop, kill those still running after STOP_SECONDS; 0, or 1 when
        one had to be killed."""
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_SECONDS
        for process in running:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        killed = [p for p in running if p.poll() is None]
        for process in killed:
            process.kill()
            process.wait()
        if killed:
            _say(f"{len(killed)} 個程序未在 {STOP_SECONDS} 秒內結束，已強制停止。")
        return 1 if killed else 0
