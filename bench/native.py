#!/usr/bin/env python3
"""Times native commands for the benchmark (Python 3 stdlib only).

    python3 native.py '<json>'   with  {"cmd": [...], "repeats": N, "timeout": SECONDS}

Runs the command N times, one after another, and prints one JSON line: the wall time of each
run in ms, the peak resident set of each run in MiB (from wait4's rusage of that very child,
so nothing else is counted), the exit status of the last run and the tail of its stderr. A run
past the timeout is killed and reported as {"status": "timeout"}.
"""
import json, os, subprocess, sys, tempfile, threading, time

def main():
    job = json.loads(sys.argv[1])
    walls, rss, rc, err = [], [], 0, ''
    for _ in range(max(1, job.get('repeats', 1))):
        with tempfile.TemporaryFile() as errf:
            t0 = time.perf_counter()
            p = subprocess.Popen(job['cmd'], stdout=subprocess.DEVNULL, stderr=errf)
            killed = []
            timer = threading.Timer(job.get('timeout', 60), lambda: (killed.append(1), p.kill()))
            timer.start()
            _, status, ru = os.wait4(p.pid, 0)
            wall = (time.perf_counter() - t0) * 1000
            timer.cancel()
            p.returncode = os.waitstatus_to_exitcode(status)
            errf.seek(0)
            err = errf.read().decode('utf-8', 'replace')[-400:]
        if killed:
            print(json.dumps({'status': 'timeout', 'walls': walls}))
            return
        rc = p.returncode
        walls.append(wall)
        rss.append(ru.ru_maxrss / 1024)
        if rc != 0:
            break
    print(json.dumps({'status': 'ok' if rc == 0 else 'error', 'rc': rc, 'walls': walls, 'rssMB': rss, 'stderr': err.strip()}))

if __name__ == '__main__':
    main()
