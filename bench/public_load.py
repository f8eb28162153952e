"""Benchmark: the public strategy page under a thousand visitors at once, against a floor.

    .venv/bin/python bench/public_load.py [--seconds 10] [--connections 1000]

Needs Debian's wrk (apt-get install wrk). It builds a scratch SQLite database with the
demo (or uses DATABASE_URL), collects static files, starts gunicorn with production
settings (2 workers, DEBUG off) on a free loopback port, and runs wrk with 1000 open
connections against a trivial Django view (the floor: what any page of ours costs at the
least on this machine) and then against the published Joint SEND Strategy 2022-25 page,
in the same run. It prints requests per second of each, non-2xx responses and socket
errors, and the page's ratio to the floor. wrk shares the machine's cores with gunicorn.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    """gunicorn with two workers on the loopback port, in a session of its own to stop."""
    command = [str(GUNICORN), "sendplan.wsgi", "--workers", "2", "--no-control-socket"]
    return subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def environment(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.public_load_site",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": "bench-only-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def run_wrk(
    url: str, *, connections: int, seconds: int, headers: tuple[str, ...] = ()
) -> dict[str, float]:
    """wrk's figures for url; each of headers ("Name: value") is sent with every request."""
    sent = [arg for header in headers for arg in ("-H", header)]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", *sent, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "non_2xx": int(non_2xx[1]) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=1000)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("Needs wrk: apt-get install -y wrk")
    scratch = tempfile.mkdtemp(prefix="sendplan-bench-")
    env = environment(os.environ.get("DATABASE_URL", f"sqlite:///{scratch}/db.sqlite3"))
    manage(env, "migrate", "--noinput")
    # The demo is refused under production settings: it is loaded under development ones,
    # into the same database.
    manage({**env, "DJANGO_SETTINGS_MODULE": "sendplan.settings.dev"}, "load_demo")
    manage(env, "collectstatic", "--noinput")
    strategy_pk = subprocess.run(
        [
            str(PYTHON),
            "manage.py",
            "shell",
            "-c",
            "from priorities.models import Strategy; "
            "print(Strategy.objects.get(title='Joint SEND Strategy 2022-25').pk)",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port)
    try:
        page = f"{base}/public/strategies/{strategy_pk}/"
        wait_until_up(f"{base}/floor/")
        wait_until_up(page)
        results = {}
        for name, url in [
            ("floor (trivial view)", f"{base}/floor/"),
            ("public strategy page", page),
        ]:
            results[name] = run_wrk(url, connections=args.connections, seconds=args.seconds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"wrk: {args.connections} connections, {args.seconds} s each, gunicorn 2 workers")
    for name, result in results.items():
        print(
            f"  {name:<22} {result['rps']:>8.0f} requests/s  ({result['requests']} requests, "
            f"{result['non_2xx']} non-2xx, {result['socket_errors']} socket errors)"
        )
    floor_rps = results["floor (trivial view)"]["rps"]
    page_rps = results["public strategy page"]["rps"]
    print(f"public page / floor: {page_rps / floor_rps:.2f}")


if __name__ == "__main__":
    sys.exit(main())
