"""The benchmark's jupyter_client driver: test/support/kernel_driver.py plus ops that time requests.

Same protocol as the test driver (one JSON command per line on stdin, one JSON answer per line on
stdout). Timing happens here, inside the client process, with a zmq poller that wakes on the first
message (the test driver's pump sleeps in 5 ms steps, too coarse for cells that take a few ms).
Every time is a client round trip: from just before the request is sent until both its reply and
its `status: idle` have arrived. The same code measures every kernel.
"""
import atexit
import os
import signal
import sys
import time

import zmq

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import kernel_driver  # noqa: E402  (the test driver: reused, not changed)
from jupyter_client.manager import KernelManager  # noqa: E402


def now_ms():
    return time.perf_counter() * 1000.0


class BenchDriver(kernel_driver.Driver):
    def __init__(self):
        super().__init__()
        self.poller = None
        self.log = None
        # An interrupted bench (Ctrl-C, SIGTERM) must not leave a kernel behind: jupyter_client starts
        # kernels in their own session, out of reach of the terminal's signals.
        atexit.register(self._cleanup)

    def _cleanup(self):
        try:
            if self.km and self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        except Exception:
            pass

    def _sockets(self):
        poller = zmq.Poller()
        for name in ("shell", "iopub", "control"):
            poller.register(getattr(self.kc, f"{name}_channel").socket, zmq.POLLIN)
        return poller

    def _take_ready(self):
        """Moves every message that is already waiting into the per-parent buffers."""
        for name in ("iopub", "shell", "control"):
            ch = getattr(self.kc, f"{name}_channel")
            while ch.msg_ready():
                self.file_message(name, ch.get_msg(timeout=0))

    def _wait(self, predicate, timeout):
        deadline = time.monotonic() + timeout
        while True:
            self._take_ready()
            if predicate():
                return now_ms()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no answer within {timeout}s")
            self.poller.poll(min(remaining, 1.0) * 1000)

    def timed_start(self, kernel_name, cwd=None, log_file=None, startup_timeout=60):
        """Starts a kernel; ms from just before the launch to the first kernel_info_reply."""
        self.km = KernelManager(kernel_name=kernel_name)
        kwargs = {"cwd": cwd} if cwd else {}
        if log_file:
            # The kernel's own stdout/stderr must not mix with this driver's JSON lines.
            self.log = open(log_file, "ab")
            kwargs.update(stdout=self.log, stderr=self.log)
        t0 = now_ms()
        self.km.start_kernel(**kwargs)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.poller = self._sockets()
        msg_id = self.kc.kernel_info()
        sent = time.monotonic()

        def answered():
            reply = self.replies.get(msg_id)
            if reply is None and time.monotonic() - sent > startup_timeout:
                raise TimeoutError(f"no kernel_info_reply within {startup_timeout}s")
            if reply is None and not self.km.is_alive():
                raise RuntimeError("kernel died before replying to kernel_info")
            return reply is not None

        t1 = self._wait(answered, startup_timeout + 1)
        # Then the standard readiness check (iopub connected too), and start clean, as the tests do.
        self.kc.wait_for_ready(timeout=startup_timeout)
        self.pump(0.2)
        self.iopub.clear()
        self.replies.clear()
        return {"pid": self.km.provisioner.pid, "ready_ms": t1 - t0}

    def timed_execute(self, codes, timeout=120, cell_ids=None, capture=False):
        """Runs cells one after another (each waits for the previous reply and idle); ms per cell.

        cell_ids: one per cell, sent as the request's `metadata.cellId`, as JupyterLab does.
        capture: also return each cell's stdout text (`stdout`, one string per cell).
        """
        results = []
        stdout = []
        for i, code in enumerate(codes):
            content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                       "allow_stdin": False, "stop_on_error": True}
            metadata = {"cellId": cell_ids[i]} if cell_ids else None
            t0 = now_ms()
            msg_id = self.send("shell", "execute_request", content, metadata)
            t1 = self._wait(lambda: self.done(msg_id), timeout)
            reply = self.replies.pop(msg_id)["msg"]
            iopub = self.iopub.pop(msg_id, [])
            status = reply["content"].get("status")
            if status != "ok":
                text = "".join(
                    m["content"].get("text", "") + "\n".join(m["content"].get("traceback", []))
                    for m in iopub if m["msg_type"] in ("stream", "error")
                )
                raise RuntimeError(f"cell {code[:60]!r} answered {status}: {text[:500]}")
            results.append(t1 - t0)
            if capture:
                stdout.append("".join(m["content"].get("text", "") for m in iopub
                                      if m["msg_type"] == "stream" and m["content"].get("name") == "stdout"))
        return {"ms": results, "stdout": stdout} if capture else {"ms": results}

    def stop(self):
        result = super().stop()
        if self.log:
            self.log.close()
        return result


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so that atexit runs
    kernel_driver.Driver = BenchDriver  # kernel_driver.main() builds a Driver: make it this one
    kernel_driver.main()


if __name__ == "__main__":
    main()
