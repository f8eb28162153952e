"""Benchmark: a past meeting's published papers under gunicorn at national scale, against a floor.

    DATABASE_URL=postgres://u:pw@localhost/scratch .venv/bin/python bench/pack_load.py \
        [--areas 150] [--seconds 10] [--rounds 3] [--connections 50] \
        [--accept-encoding 'gzip, deflate, br']

Needs Debian's wrk (apt-get install wrk) and a scratch PostgreSQL database. Unless that
database already holds the dataset (its Medway plan and --areas areas, as a previous run
left it), it empties it and builds the national dataset with bench/national.py's builder:
150 areas, 30,000 actions, about a million action history rows. It publishes the papers
of Medway's last meeting unless they are (as the migration would have, as at the end of
the meeting day, by the operator). It then signs in
Medway's board member (a session written in the database, its cookie given to wrk),
collects static files, starts gunicorn with production settings (2 workers, DEBUG off)
on a free loopback port and runs wrk against a trivial Django view (the floor), a trivial
view behind the sign-in (the least a signed-in page costs: the session and the user
read), and the page of Medway's last meeting (60 days ago), its published papers, in
turn, for --rounds rounds. Every request carries the Accept-Encoding a browser sends,
unless told otherwise. It prints the requests per second of each page in each round,
non-2xx responses and socket errors, the size of a response, and the papers' ratios to
the two floors in each round with their median.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import national, public_load  # noqa: E402


def setup_django(database_url: str) -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "sendplan.settings.test"
    # The session written here is read by the server: signed with the server's key.
    os.environ["SECRET_KEY"] = public_load.environment(database_url)["SECRET_KEY"]
    django.setup()


def dataset(areas: int) -> int:
    """Build the national dataset unless the database holds it; Medway's last meeting's pk."""
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from governance.models import Meeting
    from priorities.models import LocalArea
    from sendplan import roles

    call_command("migrate", verbosity=0)
    last = Meeting.objects.filter(board__area__name="Medway").order_by("-date").first()
    if last is not None and LocalArea.objects.count() == areas:
        print(f"reusing the {areas}-area dataset in the database", flush=True)
        return published(last).pk
    started = time.perf_counter()
    call_command("flush", interactive=False, verbosity=0)
    roles.ensure_role_groups()
    users = {}
    for persona, group in (("officer", roles.OFFICER), ("board", roles.BOARD_MEMBER)):
        user = User.objects.create_user(f"bench-{persona}")
        user.groups.add(Group.objects.get(name=group))
        users[persona] = user
    now = timezone.now()
    plan = national.build_area(0, now=now, users=users)
    for index in range(1, areas):
        national.build_area(index, now=now, users=users)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {areas} areas in {time.perf_counter() - started:.0f} s", flush=True)
    return published(plan["meeting"]).pk


def published(meeting):
    """The meeting, its papers published (once) as the migration publishes a past meeting's."""
    from governance.choices import PapersRoute
    from governance.models import Papers
    from governance.services import papers_publish

    if not Papers.objects.filter(meeting=meeting).exists():
        started = time.perf_counter()
        papers_publish(meeting=meeting, user=None, route=PapersRoute.COMMAND)
        print(f"published the papers in {time.perf_counter() - started:.1f} s", flush=True)
    return meeting


def session_cookie() -> str:
    """A signed-in session of Medway's board member, as the sign-in page would write it."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        load_backend,
    )
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore

    user = User.objects.get(username="bench-board")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # The first backend that signs users in (axes' only guards the sign-in).
    session[BACKEND_SESSION_KEY] = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", type=int, default=150)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument(
        "--accept-encoding",
        default="gzip, deflate, br",
        help="the Accept-Encoding header sent (default: what Chromium and Firefox send); "
        "'identity' for a client that takes no compression",
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a scratch PostgreSQL database: this benchmark empties it.")
    if shutil.which("wrk") is None:
        sys.exit("Needs wrk: apt-get install -y wrk")
    setup_django(database_url)
    from django.urls import reverse

    meeting_pk = dataset(args.areas)
    cookie = session_cookie()

    env = {
        **public_load.environment(database_url),
        "DJANGO_SETTINGS_MODULE": "bench.pack_load_site",
    }
    public_load.manage(env, "collectstatic", "--noinput")
    port = public_load.free_port()
    base = f"http://127.0.0.1:{port}"
    server = public_load.start_gunicorn(env, port)
    pack = base + reverse("governance:meeting_pack", args=[meeting_pk])
    pages = [
        ("floor (trivial view)", f"{base}/floor/"),
        ("signed-in floor", f"{base}/signed-in-floor/"),
        ("published papers", pack),
    ]
    # As a browser sends them: the session, and the encodings it takes.
    headers = (f"Cookie: {cookie}", f"Accept-Encoding: {args.accept_encoding}")
    rounds = []
    sizes = {}
    try:
        public_load.wait_until_up(f"{base}/floor/")
        for name, url in pages:
            # Two requests first: each must be the page (not the sign-in page), and the
            # second is sized as wrk's will be.
            for _ in range(2):
                check = subprocess.run(
                    ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{size_download}"]
                    + [arg for header in headers for arg in ("-H", header)]
                    + [url],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()
                if check[0] != "200":
                    raise SystemExit(f"{url} answered {check[0]}, not 200")
            sizes[name] = int(check[1])
        # The pages in turn, round after round, so that each ratio is of figures measured
        # moments apart on a machine whose load comes and goes.
        for _ in range(args.rounds):
            figures = {}
            for name, url in pages:
                # The server must have worked off what the last run left queued before the
                # next starts.
                public_load.wait_until_up(f"{base}/floor/", seconds=300)
                figures[name] = public_load.run_wrk(
                    url, connections=args.connections, seconds=args.seconds, headers=headers
                )
            rounds.append(figures)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"wrk: {args.connections} connections, {args.seconds} s a page, {args.rounds} rounds, "
        f"gunicorn 2 workers, "
        f"SENDPLAN_DB_PREPARED_STATEMENTS {env.get('SENDPLAN_DB_PREPARED_STATEMENTS', 'default')}, "
        f"Accept-Encoding {args.accept_encoding!r}, "
        f"CONN_MAX_AGE {env.get('CONN_MAX_AGE', 'production default')}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for name, _ in pages:
        rates = [result[name]["rps"] for result in rounds]
        failures = sum(result[name]["non_2xx"] + result[name]["socket_errors"] for result in rounds)
        print(
            f"  {name:<22} {' '.join(f'{rate:8.1f}' for rate in rates)} requests/s  "
            f"({failures} non-2xx or socket errors, {sizes[name]} bytes a response)"
        )
    for floor in ("floor (trivial view)", "signed-in floor"):
        ratios = sorted(
            result["published papers"]["rps"] / result[floor]["rps"] for result in rounds
        )
        print(
            f"published papers / {floor.split(' (')[0]}: median {statistics.median(ratios):.3f} "
            f"(rounds: {', '.join(f'{ratio:.3f}' for ratio in ratios)})"
        )


if __name__ == "__main__":
    main()
