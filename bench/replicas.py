"""A scale-out deployment on one machine: `chroma run`, PostgreSQL, and N app replicas.

Used by the multi-replica test and for the sizing table in the README:

    python -m bench.replicas --db-url postgresql+psycopg://USER:PASS@127.0.0.1:5432/DB \\
        [--replicas 1,2] [--users 20] [--suggest 200] [--ask 100] [--json]

Each replica has its own ASSISTANT_HOME (nothing shared on disk); they share the Chroma server,
the database and the register key. Only loopback traffic.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import drive, free_port, peak_rss_mb, start_server, wait_port


class _Server:
    """A helper server process on a loopback port, stoppable and restartable."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    def _spawn(self, argv: list[str], timeout: float, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     env={**os.environ, **(env or {})})
        wait_port(self.port, self.proc, timeout)

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
            self.proc = None


class ChromaServer(_Server):
    """`chroma run` from the chromadb package, on the same data folder across restarts."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        super().__init__(port)
        self.path = path

    def start(self, timeout: float = 30) -> None:
        exe = Path(sys.executable).parent / "chroma"
        self._spawn([str(exe), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
                    timeout, {"ANONYMIZED_TELEMETRY": "False"})


class Nginx(_Server):
    """Debian's nginx in the foreground, configured from deploy/nginx.conf.template."""

    TEMPLATE = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf.template"

    def __init__(self, run_dir: Path, upstream_ports: list[int], port: int | None = None) -> None:
        super().__init__(port)
        self.run_dir = run_dir
        self.upstream_ports = upstream_ports

    def config(self) -> str:
        upstreams = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in self.upstream_ports)
        return (self.TEMPLATE.read_text(encoding="utf-8").replace("{{RUN}}", str(self.run_dir))
                .replace("{{UPSTREAMS}}", upstreams).replace("{{LISTEN}}", f"127.0.0.1:{self.port}"))

    def start(self, timeout: float = 20) -> None:
        import shutil

        self.run_dir.mkdir(parents=True, exist_ok=True)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(self.config(), encoding="utf-8")
        try:
            self._spawn([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(conf), "-p", str(self.run_dir)],
                        timeout)
        except RuntimeError:
            log = self.run_dir / "error.log"
            raise RuntimeError(log.read_text(errors="replace")[-500:] if log.exists() else "nginx failed") from None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"


class Deployment:
    def __init__(self, root: Path, db_url: str, replicas: int = 2, refresh_s: float = 1.0,
                 extra_env: list[dict[str, str]] | None = None) -> None:
        from cryptography.fernet import Fernet

        self.root = root
        self.chroma = ChromaServer(root / "chroma")
        self.env = {
            "ASSISTANT_STORE": "chroma_http", "ASSISTANT_CHROMA_PORT": str(self.chroma.port),
            "ASSISTANT_DB_URL": db_url, "ASSISTANT_INDEX_REFRESH_S": str(refresh_s),
            "ASSISTANT_REGISTER_KEY": Fernet.generate_key().decode(),
        }
        self.ports = [free_port() for _ in range(replicas)]
        self.extra = extra_env or [{} for _ in range(replicas)]
        self.procs: list[subprocess.Popen] = []

    def replica_env(self, i: int) -> dict[str, str]:
        return {**self.env, "ASSISTANT_HOME": str(self.root / f"replica-{i}"), "ASSISTANT_REPLICA": f"replica-{i}",
                **self.extra[i]}

    def cli(self, *args: str, stdin: str | None = None, i: int = 0) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "assistant", *args], input=stdin, text=True,
                              capture_output=True, env={**os.environ, **self.replica_env(i)}, timeout=300, check=True)

    def start(self) -> float:
        """Chroma, one index build (the deploy step), then the replicas; seconds until all listen."""
        t0 = time.time()
        self.chroma.start()
        self.cli("index")
        self.procs = [start_server(port, self.replica_env(i)) for i, port in enumerate(self.ports)]
        for port, proc in zip(self.ports, self.procs, strict=True):
            wait_port(port, proc)
        return time.time() - t0

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}/" for p in self.ports]

    def peak_rss_mb(self) -> list[float]:
        return [peak_rss_mb(proc.pid) for proc in self.procs]

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.chroma.stop()


def sizing(db_url: str, replicas: int, users: int, n_suggest: int, n_ask: int) -> dict:
    from assistant.records.audit import open_audit
    from assistant.settings import Settings

    audit = open_audit(Settings(db_url=db_url))
    before = {k: audit.count(k) for k in ("suggest", "ask")}
    dep = Deployment(Path(tempfile.mkdtemp(prefix="assistant-replicas-")), db_url, replicas)
    try:
        start_s = dep.start()
        load = drive(dep.urls, users, n_suggest, n_ask)
        rss = dep.peak_rss_mb()
        chroma_rss = peak_rss_mb(dep.chroma.proc.pid)
    finally:
        dep.stop()
    return {
        "replicas": replicas, "users": users, "start_s": round(start_s, 1), **load,
        "rps_per_replica": round(load["throughput_rps"] / replicas, 1), "peak_rss_mb_per_replica": rss,
        "chroma_server_peak_rss_mb": chroma_rss,
        "audit_rows_added": {k: audit.count(k) - before[k] for k in before},
    }


if __name__ == "__main__":
    args = sys.argv[1:]

    def opt(name: str, default: str) -> str:
        return args[args.index(name) + 1] if name in args else default

    url = opt("--db-url", os.environ.get("ASSISTANT_DB_URL", ""))
    if not url:
        sys.exit("需要 --db-url / --db-url is required (see .ci/postgres.sh)")
    results = [sizing(url, int(n), int(opt("--users", "20")), int(opt("--suggest", "200")), int(opt("--ask", "100")))
               for n in opt("--replicas", "1,2").split(",")]
    print(json.dumps(results, ensure_ascii=False, indent=None if "--json" in args else 2))
