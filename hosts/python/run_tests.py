"""One command for the Python host: `python3 hosts/python/run_tests.py [--setup]`.

Makes a venv under target/python-host/ with the pinned wasmtime (requirements.txt) when it is
missing or out of date, then runs the unittest suite in it and closes with "N passed, N failed".
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "../.."))
VENV = os.path.join(ROOT, "target/python-host/venv")
PYTHON = os.path.join(VENV, "bin", "python")
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
STAMP = os.path.join(VENV, "requirements.txt")


def setup() -> None:
    with open(REQUIREMENTS) as f:
        wanted = f.read()
    if os.path.exists(PYTHON) and os.path.exists(STAMP) and open(STAMP).read() == wanted:
        return
    print(f"[python-host] creating {VENV} with {wanted.strip()}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", VENV], check=True)
    subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS],
                   check=True)
    with open(STAMP, "w") as f:
        f.write(wanted)


def run() -> int:
    import unittest

    sys.path.insert(0, HERE)
    import wasmtime  # noqa: F401 (the venv's)

    from importlib.metadata import version

    print(f"[python-host] Python {sys.version.split()[0]}, wasmtime {version('wasmtime')}", flush=True)
    suite = unittest.defaultTestLoader.discover(HERE, pattern="test_*.py")
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    failed = len(result.failures) + len(result.errors)
    passed = result.testsRun - failed - len(result.skipped)
    print(f"python-host: {passed} passed, {failed} failed" + (f", {len(result.skipped)} skipped" if result.skipped else ""))
    return 0 if result.wasSuccessful() and not result.skipped else 1


if __name__ == "__main__":
    if "--run" in sys.argv:  # inside the venv
        sys.exit(run())
    setup()
    if "--setup" in sys.argv:
        sys.exit(0)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    sys.exit(subprocess.run([PYTHON, os.path.abspath(__file__), "--run"], env=env).returncode)
