"""Drives a Jupyter kernel with jupyter_client, the reference client, for the jest tests.

One JSON command per line on stdin, one JSON answer per line on stdout. Messages are kept per
parent msg_id, so requests can be sent back to back (as "Run All" does) and collected later.
"""
import json
import os
import select
import sys
import time
from collections import defaultdict

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session


def jsonable(value):
    return json.loads(json.dumps(value, default=str))


class Driver:
    def __init__(self):
        self.km = None
        self.kc = None
        self.iopub = defaultdict(list)
        self.replies = {}

    def start(self, kernel_name, cwd=None, env=None, startup_timeout=60):
        self.km = KernelManager(kernel_name=kernel_name)
        kwargs = {"cwd": cwd} if cwd else {}
        if env is not None:
            kwargs["env"] = env
        self.km.start_kernel(**kwargs)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=startup_timeout)
        # wait_for_ready's kernel_info exchange leaves messages behind: start clean.
        self.pump(0.2)
        self.iopub.clear()
        self.replies.clear()
        return {"pid": self.km.provisioner.pid if self.km.provisioner else None}

    def channel(self, name):
        return {"shell": self.kc.shell_channel, "control": self.kc.control_channel}[name]

    def send(self, channel, msg_type, content, metadata=None):
        msg = self.kc.session.msg(msg_type, content)
        if metadata:
            msg["metadata"].update(metadata)
        self.channel(channel).send(msg)
        return msg["header"]["msg_id"]

    def send_many(self, messages):
        """Writes every message to its socket back to back, before reading any reply (Run All's burst)."""
        built = []
        for m in messages:
            msg = self.kc.session.msg(m["msg_type"], m["content"])
            if m.get("metadata"):
                msg["metadata"].update(m["metadata"])
            built.append((m["channel"], msg))
        for channel, msg in built:
            self.channel(channel).send(msg)
        return [msg["header"]["msg_id"] for _, msg in built]

    def pump(self, timeout):
        """Moves every message that arrives within `timeout` seconds into the per-parent buffers."""
        deadline = time.monotonic() + timeout
        got = False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return got
            for name in ("iopub", "shell", "control"):
                ch = getattr(self.kc, f"{name}_channel")
                if ch.msg_ready():
                    self.file_message(name, ch.get_msg(timeout=0))
                    got = True
                    break
            else:
                time.sleep(min(0.005, max(remaining, 0)))

    def file_message(self, channel, msg):
        """Keeps a message under its parent's msg_id: broadcasts in order, the reply by itself."""
        parent = msg["parent_header"].get("msg_id")
        if channel == "iopub":
            self.iopub[parent].append(msg)
        else:
            self.replies[parent] = {"channel": channel, "msg": msg}

    def done(self, msg_id):
        msgs = self.iopub.get(msg_id, [])
        idle = any(m["msg_type"] == "status" and m["content"]["execution_state"] == "idle" for m in msgs)
        return idle and msg_id in self.replies

    def collect(self, msg_ids, timeout=30):
        deadline = time.monotonic() + timeout
        while not all(self.done(i) for i in msg_ids):
            if time.monotonic() > deadline:
                missing = [i for i in msg_ids if not self.done(i)]
                raise TimeoutError(f"no reply and idle status for {missing} within {timeout}s")
            self.pump(0.05)
        return [
            {"reply": self.replies.pop(i)["msg"], "iopub": self.iopub.pop(i, [])}
            for i in msg_ids
        ]

    def drain(self, seconds):
        """Everything that arrives within `seconds`, grouped by parent msg_id (late output checks)."""
        self.pump(seconds)
        out = {k: v for k, v in self.iopub.items()}
        self.iopub.clear()
        return out

    def late_subscriber(self, seconds):
        """What a second iopub subscriber, connecting now, hears within `seconds` (as the Jupyter
        server's socket after a restart): each message's type, state and parent type, in order."""
        socket = self.kc.connect_iopub()
        # A session of its own: the main iopub channel hears the same messages, and a session refuses
        # a signature it has seen (replay protection).
        session = Session(key=self.kc.session.key, signature_scheme=self.kc.session.signature_scheme)
        heard = []
        deadline = time.monotonic() + seconds
        try:
            while (remaining := deadline - time.monotonic()) > 0:
                if not socket.poll(int(remaining * 1000)):
                    break
                _, frames = session.feed_identities(socket.recv_multipart())
                msg = session.deserialize(frames)
                heard.append({
                    "msg_type": msg["msg_type"],
                    "execution_state": msg["content"].get("execution_state"),
                    "parent_msg_type": msg["parent_header"].get("msg_type"),
                })
        finally:
            socket.close(linger=0)
        return heard

    def interrupt_signal(self):
        self.km.interrupt_kernel()
        return {}

    def is_alive(self):
        return {"alive": self.km.is_alive()}

    def wait_exit(self, timeout=10):
        deadline = time.monotonic() + timeout
        while self.km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        process = getattr(self.km.provisioner, "process", None) if self.km.provisioner else None
        # Popen's returncode: the exit code, or minus the signal that ended the kernel.
        return {"alive": self.km.is_alive(), "returncode": process.returncode if process else None}

    def stop(self):
        if self.kc:
            self.kc.stop_channels()
        if self.km and self.km.has_kernel:
            self.km.shutdown_kernel(now=True)
        return {}


def write_all(text):
    """Writes the whole answer to stdout. Under Node 22+ the pipe may be non-blocking, and an unbuffered
    text write then stops at a partial write, silently dropping the rest of a long line: loop on the
    raw fd instead, waiting for the reader whenever the pipe is full."""
    data = memoryview(text.encode())
    fd = sys.stdout.fileno()
    while data:
        try:
            data = data[os.write(fd, data):]
        except BlockingIOError:
            select.select([], [fd], [])


def main():
    driver = Driver()
    for line in sys.stdin:
        command = json.loads(line)
        op = command.pop("op")
        try:
            result = getattr(driver, op)(**command)
            answer = {"ok": True, "result": jsonable(result)}
        except Exception as e:  # the test reads the message
            answer = {"ok": False, "error": f"{type(e).__name__}: {e}"}
        write_all(json.dumps(answer) + "\n")
        if op == "stop":
            break


if __name__ == "__main__":
    main()
