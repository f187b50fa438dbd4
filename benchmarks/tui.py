"""How fast the workstation's queue is on a big store: first paint, cursor moves, opening.

    workstation --db sqlite:////tmp/big.db demo --size 1000000     # ~1.5 min, once
    cp /tmp/big.db /tmp/copy.db                                      # it writes claims
    python benchmarks/tui.py sqlite:////tmp/copy.db
    python benchmarks/tui.py sqlite:////tmp/copy.db --paints 0 --sync-rate 6000
    rm -f /tmp/copy.db-wal /tmp/copy.db-shm   # before copying the store again: a stale WAL
                                              # left by sync would be applied to the new copy

1. First paint from process start: `workstation --db URL --agent julie` runs in a
   pseudo-terminal (120x40) and the clock stops when the first row of its start view reaches
   the terminal; the CPU time it used by then, and its peak RSS read from /proc before `q`.
2. In-process (Textual's Pilot, headless, 120x40): the time from a key press until the screen
   has processed it and repainted, for cursor moves (j/k), page moves, jumps to the bottom and
   top, switching views, and `enter` until the conversation screen is painted, painted with
   its thread, and painted with the agent's claim on it; beside each, the CPU time of the
   app's event-loop thread meanwhile (what the app costs, whatever the machine's load) and the
   longest stall of that loop (nothing is drawn while it is held: no frame can be shorter).
   p50/p95/max over many presses, then the peak RSS of that process.
3. With `--sync-rate N`, `workstation sandbox --rate N` (messages a minute) and `workstation
   sync` run on the same store as separate processes meanwhile, as on a busy day (in this
   benchmark's session, or with `--sync-own-session` in one of their own, as a service's).
4. With `--stall-log FILE`, what the loop thread was doing during each stall over 50 ms, with
   its CPU time and the other threads' (`benchmarks/stall_sampler.py`).

Prints one line per figure. Writes the claims that opening conversations takes as agent julie
(the conversation screen claims what it opens), and with `--sync-rate` everything sync takes
in: use a copy of the store.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import re
import resource
import select
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from workstation import db  # noqa: E402
from workstation.clock import utcnow  # noqa: E402
from workstation.services import view_rows  # noqa: E402
from workstation.services.views import SHIPPED  # noqa: E402
from workstation.text import inert  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
import compiled  # noqa: E402  (benchmarks/compiled.py)

AGENT = "julie"
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]")


def first_paint(url: str, *, columns: int = 120, rows: int = 40,
                timeout: float = 20.0) -> tuple[float, float, int]:
    """Seconds from spawning the program until the start view's first row is on the terminal,
    the CPU seconds it used by then (the wall time on an idle machine), its peak RSS in kB."""
    engine = db.open_store(url)
    first = view_rows.page(engine, view_rows.ViewQuery(SHIPPED[0], AGENT, utcnow()), limit=1)
    engine.dispose()
    if not first:
        raise SystemExit("the start view (Mine) is empty for julie: build the demo store first")
    needle = inert(first[0].author)[:10].encode()
    exe = str(Path(sys.executable).with_name("workstation"))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the program
        os.execve(exe, [exe, "--db", url, "--agent", AGENT], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    seen = b""
    painted = None
    cpu = 0.0
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                seen += chunk
                if needle in _ANSI.sub(b"", seen):
                    painted = time.perf_counter() - started
                    cpu = _cpu_seconds(pid)
                    break
        rss = _peak_rss(pid)
        os.write(fd, b"q")
        deadline = time.perf_counter() + 5
        while time.perf_counter() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            try:
                if select.select([fd], [], [], 0.05)[0]:
                    os.read(fd, 65536)
            except OSError:
                pass
        else:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
    finally:
        os.close(fd)
    if painted is None:
        raise SystemExit("the queue never painted its first row")
    return painted, cpu, rss


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


async def in_process(url: str, presses: int, stall_log: Path | None = None) -> tuple[
        dict[str, list[float]], dict[str, list[float]], dict[str, float]]:
    """Milliseconds from a key reaching the app until the screen has been repainted in the
    state the key asked for (the cursor on the next row, the rows read, the thread shown), the
    CPU time the app's (event loop's) thread spent meanwhile, and the longest stall of the app's event loop during each kind of key (a frame can be no
    shorter: nothing is drawn while the loop is held)."""
    from textual import events
    from textual.screen import Screen
    from textual.worker import WorkerCancelled

    from screens.app import WorkstationApp
    from screens.conversation_screen import ConversationScreen
    from screens.queue_screen import QueueScreen
    from screens.widgets.queue_list import QueueList

    engine = db.open_store(url)
    app = WorkstationApp(engine, agent=AGENT)
    timings: dict[str, list[float]] = {}
    cpu_times: dict[str, list[float]] = {}
    stalls: dict[str, float] = {}
    pending: dict[str, Callable[[], bool]] = {}
    reached: dict[str, float] = {}
    phase = {"kind": "start-up"}
    sampler = None
    if stall_log is not None:
        from stall_sampler import StallSampler
        sampler = StallSampler(stall_log)
    done = asyncio.Event()
    repaint = Screen._compositor_refresh

    def timed_repaint(screen: Screen[Any]) -> None:
        # The compositor has just drawn the screen: is it the state the key asked for?
        repaint(screen)
        if screen is app.screen:
            for kind, until in list(pending.items()):
                if until():
                    reached[kind] = (time.perf_counter(), time.thread_time())
                    del pending[kind]
            if not pending:
                done.set()

    Screen._compositor_refresh = timed_repaint  # type: ignore[method-assign]

    async def watch_loop() -> None:
        # Wakes every 5 ms; any lateness is time the loop was held by something else.
        while True:
            if sampler is not None:
                sampler.beat()
                sampler.phase = phase["kind"]
            before = time.perf_counter()
            await asyncio.sleep(0.005)
            late = (time.perf_counter() - before - 0.005) * 1000
            kind = phase["kind"]
            stalls[kind] = max(stalls.get(kind, 0.0), late)

    async def key(name: str, **milestones: Callable[[], bool]) -> None:
        pending.clear()
        reached.clear()
        done.clear()
        pending.update(milestones)
        phase["kind"] = next(iter(milestones))
        event = events.Key(name, name if len(name) == 1 else None)
        event.set_sender(app)
        started, cpu = time.perf_counter(), time.thread_time()
        assert app._driver is not None
        app._driver.send_message(event)
        try:
            await asyncio.wait_for(done.wait(), 30)
        except TimeoutError:
            raise SystemExit(f"{', '.join(pending)}: the screen never showed the result") from None
        for kind, (at, cpu_at) in reached.items():
            timings.setdefault(kind, []).append((at - started) * 1000)
            cpu_times.setdefault(kind, []).append((cpu_at - cpu) * 1000)
        await pilot.pause()

    async def settle() -> None:
        for _ in range(3):
            await pilot.pause()
            try:
                await app.workers.wait_for_complete()
            except WorkerCancelled:
                pass  # a newer read replaced it (the store changed meanwhile)

    def rows_shown(queue: QueueList) -> bool:
        top = round(queue.scroll_y)
        window = queue.window
        return window is not None and all(
            window.get(i) is not None for i in range(top, min(top + queue.size.height,
                                                              window.total)))

    def opened() -> bool:
        return isinstance(app.screen, ConversationScreen)

    def thread_shown() -> bool:
        screen = app.screen
        return isinstance(screen, ConversationScreen) and screen.view is not None \
            and screen.view.id == screen.conversation_id

    def claimed() -> bool:
        screen = app.screen
        return isinstance(screen, ConversationScreen) and screen.view is not None \
            and screen.view.claim.holder != ""

    watcher = asyncio.create_task(watch_loop())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle()
        await pilot.press("9")               # All open: the biggest view
        await settle()
        queue = app.screen.query_one(QueueList)
        # Moves are counted rather than checked against a row index: with sync running, the
        # live re-reads keep the cursor on its conversation while rows above it come and go.
        moves = [0]
        move_to = queue.move_to

        def counted(index: int) -> None:
            moves[0] += 1
            move_to(index)

        queue.move_to = counted  # type: ignore[method-assign]

        def moved(*, read: bool = False) -> Callable[[], bool]:
            seen = moves[0]
            return lambda: moves[0] > seen and (not read or rows_shown(queue))

        for i in range(presses):
            await key("j" if i % 4 != 3 else "k", **{"cursor move (j/k)": moved()})
        for _ in range(presses // 10):
            await key("pagedown", **{"page down, rows read (pgdn)": moved(read=True)})
        await key("G", **{"bottom, rows read (G)": moved(read=True)})
        await key("g", **{"top, rows read (g)": moved(read=True)})
        for digit in "12345678" * 2 + "9":
            screen = app.screen
            assert isinstance(screen, QueueScreen)
            await key(digit, **{"switch view, rows read (1-9)":
                                lambda d=int(digit), s=screen: s.view_index == d - 1
                                and rows_shown(queue) and queue.window is not None
                                and queue.window.query.view is s.views[d - 1]})
            await settle()
        for index in range(max(presses // 10, 5) + 1):
            await key("j", **{"cursor move (j/k)": moved()})
            await settle()
            # The first open builds the conversation screen, which is then kept: timed apart.
            what = "first open of the session" if index == 0 else "open"
            await key("enter", **{f"{what}, thread shown (enter)": thread_shown,
                                  f"{what}, screen shown (enter)": opened,
                                  f"{what}, claim shown (enter)": claimed})
            await settle()
            await key("escape", **{"back to the queue (esc)":
                                   lambda: isinstance(app.screen, QueueScreen)})
            await settle()
    watcher.cancel()
    if sampler is not None:
        sampler.stop()
    Screen._compositor_refresh = repaint  # type: ignore[method-assign]
    engine.dispose()
    return timings, cpu_times, stalls


def under_sync(url: str, rate: float, port: int, *,
               own_session: bool = False) -> list[subprocess.Popen[bytes]]:
    """`workstation sandbox --rate N` and `workstation sync` on the store, as separate
    processes (the load an agent's app meets on a busy day); the caller stops them.

    With `own_session` they run in a session of their own, as a service does (started by
    systemd or in another terminal): Linux's autogroup scheduler then shares the CPU between
    them and the app as between two users' sessions. As children in the benchmark's own
    session they share one group's slice with the app, a setting no agent's app meets: a
    core's worth of sync and sandbox then takes its CPU time from the app's frames.
    """
    bin_dir = Path(sys.executable).parent
    token = "tui-bench"
    env = {**os.environ, "WORKSTATION_SANDBOX_TOKEN": token,
           "WORKSTATION_META_URL": f"http://127.0.0.1:{port}/v21.0",
           "WORKSTATION_META_TOKEN": token, "WORKSTATION_X_URL": f"http://127.0.0.1:{port}/2",
           "WORKSTATION_X_TOKEN": token}
    sandbox = subprocess.Popen([bin_dir / "workstation", "sandbox", "--port", str(port),
                                "--rate", str(rate)], env=env, stdout=subprocess.DEVNULL,
                               start_new_session=own_session)
    time.sleep(2)
    sync = subprocess.Popen([bin_dir / "workstation", "--db", url, "sync"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=own_session)
    time.sleep(10)
    return [sync, sandbox]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="store URL, e.g. sqlite:////tmp/big.db")
    parser.add_argument("--presses", type=int, default=300)
    parser.add_argument("--paints", type=int, default=5, help="first paints to time (0: none)")
    parser.add_argument("--sync-rate", type=float, default=0.0, metavar="N",
                        help="run `workstation sandbox --rate N` (messages a minute) and "
                        "`workstation sync` on the store meanwhile (it writes: use a copy)")
    parser.add_argument("--port", type=int, default=8797)
    parser.add_argument("--sync-own-session", action="store_true",
                        help="run sync and sandbox in a session of their own (their own "
                        "scheduler group, as a service's) rather than in this benchmark's")
    parser.add_argument("--stall-log", type=Path, metavar="FILE",
                        help="write the loop thread's stacks during each stall over 50 ms "
                        "(benchmarks/stall_sampler.py)")
    args = parser.parse_args()
    compiled.ensure()
    engine = db.open_store(args.url)
    with db.read(engine) as conn:
        conversations = conn.execute(text("SELECT count(*) FROM conversation")).scalar_one()
    engine.dispose()
    print(f"store: {conversations:,} conversations")
    load = _cpu_of_children()
    helpers = under_sync(args.url, args.sync_rate, args.port,
                                 own_session=args.sync_own_session) if args.sync_rate else []
    try:
        if args.paints:
            paints = [first_paint(args.url) for _ in range(args.paints)]
            print("first paint from process start: wall "
                  + ", ".join(f"{p:.2f}" for p, _, _ in paints) + " s; CPU "
                  + ", ".join(f"{c:.2f}" for _, c, _ in paints)
                  + f" s; peak RSS {max(r for _, _, r in paints) / 1024:.0f} MB")
            print(f"  (load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: "
                  "wall time includes waiting for a core, CPU time does not)")
        cpu = time.process_time()
        loop_cpu = time.thread_time()
        wall = time.perf_counter()
        timings, cpu_times, stalls = asyncio.run(in_process(args.url, args.presses,
                                                                  args.stall_log))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        loop_cpu = time.thread_time() - loop_cpu
    finally:
        for helper in helpers:
            helper.terminate()
        for helper in helpers:
            helper.wait(30)
    for kind, values in timings.items():
        spent = sorted(cpu_times[kind])
        print(f"{kind:<32} n={len(values):<4} {_spread(values)};  loop thread's CPU "
              f"{_spread(spent, short=True)};  longest loop stall {stalls.get(kind, 0.0):.0f} ms")
    print(f"longest loop stall anywhere: {max(stalls.values()):.1f} ms "
          f"({max(stalls, key=stalls.__getitem__)})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"in-process part: {wall:.1f} s wall, {cpu:.1f} s CPU ({loop_cpu:.1f} s in the event "
          f"loop's thread, the rest in thread workers); peak RSS {peak:.0f} MB; "
          f"load average {os.getloadavg()[0]:.1f}")
    if helpers:
        print(f"sync and sandbox used {_cpu_of_children() - load:.1f} s of CPU meanwhile")


def _spread(values: list[float], *, short: bool = False) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    if short:
        return f"p50 {statistics.median(values):.1f}, p95 {p95:.1f} ms"
    return (f"p50 {statistics.median(values):6.1f} ms  p95 {p95:6.1f} ms  "
            f"max {values[-1]:6.1f} ms")


def _cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


if __name__ == "__main__":
    main()
