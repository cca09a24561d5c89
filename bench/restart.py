#!/usr/bin/env python3
"""Starts the server binary on an existing store directory several times and
prints, per start, the time from process start to the first /healthz 200, the
CPU time the process used until then (user + system: on a shared machine the
wall time waits for cores) and VmRSS right then. Usage: restart.py BINARY DATA_DIR [STARTS]"""
import http.client
import os
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def start(binary, data, timeout=300.0):
    port = free_port()
    env = dict(os.environ, HOST="127.0.0.1", PORT=str(port), DATA_DIR=data, SEED="never",
               LOG_LEVEL="warn", RATE_LIMIT_PER_MINUTE="0")
    env.pop("NEO4J_URI", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL)
    try:
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"the server exited with {proc.returncode} before /healthz answered")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/healthz")
                ok = c.getresponse().status == 200
                c.close()
                if ok:
                    break
            except OSError:
                pass
            if time.perf_counter() - t0 > timeout:
                raise SystemExit(f"no /healthz answer in {timeout} s")
            time.sleep(0.002)
        took = time.perf_counter() - t0
        return took, cpu_seconds(proc.pid), rss_mb(proc.pid), rss_mb(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait()


def main():
    binary, data = sys.argv[1], sys.argv[2]
    starts = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    for i in range(starts):
        took, cpu, rss, hwm = start(binary, data)
        print(f"start {i + 1}: {took:.2f} s to /healthz ({cpu:.2f} s of CPU), VmRSS {rss:.0f} MB, VmHWM {hwm:.0f} MB",
              flush=True)


if __name__ == "__main__":
    main()
