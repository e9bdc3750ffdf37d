#!/usr/bin/env python3
"""restart_probe.py -- helper of bench/supervisor: kill -9 a supervised program N times and
measure, per kill, the milliseconds until (a) a new child pid appears under the supervisor
process (read from /proc/<pid>/task/<pid>/children, the same way for every supervisor), and
(b) the supervisor reports the program running again through its own interface (steward:
control socket `status`; supervisord: XML-RPC getProcessInfo; runit: supervise/stat + pid).
Prints one line per kill: "<ms to new pid> <ms to running>".
"""
import argparse
import http.client
import json
import os
import signal
import socket
import sys
import time
import xmlrpc.client


def children(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return {int(x) for x in f.read().split()}
    except OSError:
        return set()


class Steward:
    def __init__(self, sock):
        self.sock = sock

    def state(self, name):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(self.sock)
        s.sendall(b'{"cmd":"status"}\n')
        buf = b""
        while not buf.endswith(b"\n"):
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
        s.close()
        for w in json.loads(buf)["result"]["workers"]:
            if w["name"] == name:
                return w.get("pid") or 0, w["state"] == "running", 0
        raise SystemExit(f"restart_probe: no worker {name} in steward status")

    def parent(self, name, sup_pid):
        return sup_pid


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost")
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


class UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path):
        super().__init__()
        self.path = path

    def make_connection(self, host):
        return UnixHTTPConnection(self.path)


class Supervisord:
    def __init__(self, sock):
        self.proxy = xmlrpc.client.ServerProxy("http://localhost/RPC2", transport=UnixTransport(sock))

    def state(self, name):
        info = self.proxy.supervisor.getProcessInfo(name)
        return info["pid"], info["statename"] == "RUNNING", 0

    def parent(self, name, sup_pid):
        return sup_pid


class Runit:
    def __init__(self, svroot):
        self.svroot = svroot

    def state(self, name):
        d = os.path.join(self.svroot, name, "supervise")
        try:
            with open(os.path.join(d, "stat")) as f:
                stat = f.read().strip()
            with open(os.path.join(d, "pid")) as f:
                pid = int(f.read().strip() or 0)
        except (OSError, ValueError):
            return 0, False, 0
        return pid, stat.startswith("run"), 0

    def parent(self, name, sup_pid):
        # each service has its own runsv under runsvdir; find the one whose child it is
        pid, _, _ = self.state(name)
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["steward", "supervisord", "runit"], required=True)
    ap.add_argument("--socket", help="steward control socket / supervisord unix socket / runit sv dir")
    ap.add_argument("--sup-pid", type=int, default=0, help="pid of the supervisor (steward, supervisord)")
    ap.add_argument("--names", required=True, help="comma-separated program names")
    ap.add_argument("-n", type=int, default=20)
    ap.add_argument("--settle", type=float, default=1.2,
                    help="seconds a program stays up before its next kill (backoff reset)")
    ap.add_argument("--timeout", type=float, default=15.0)
    a = ap.parse_args()
    sv = {"steward": Steward, "supervisord": Supervisord, "runit": Runit}[a.mode](a.socket)
    names = a.names.split(",")
    last_up = {}
    for i in range(a.n):
        name = names[i % len(names)]
        deadline = time.monotonic() + a.timeout
        while True:
            pid, running, _ = sv.state(name)
            if running and pid > 0:
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"restart_probe: {name} never running before kill {i}")
            time.sleep(0.01)
        wait = last_up.get(name, 0) + a.settle - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        parent = sv.parent(name, a.sup_pid)
        before = children(parent)
        t0 = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        t_pid = t_run = None
        newpid = None
        while t_pid is None:
            new = children(parent) - before - {pid}
            if new:
                t_pid = time.monotonic()
                newpid = max(new)
                break
            if time.monotonic() - t0 > a.timeout:
                raise SystemExit(f"restart_probe: no new child of {parent} after killing {name}")
            time.sleep(0.0005)
        while t_run is None:
            p, running, _ = sv.state(name)
            if running and p != pid and p > 0:
                t_run = time.monotonic()
                break
            if time.monotonic() - t0 > a.timeout:
                raise SystemExit(f"restart_probe: {name} not running again after kill")
            time.sleep(0.001)
        last_up[name] = t_run
        print(f"{(t_pid - t0) * 1000:.2f} {(t_run - t0) * 1000:.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
