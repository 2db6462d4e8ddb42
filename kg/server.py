"""A managed local Neo4j Community server: start, stop and status, without Docker.

The server runs as a detached JVM (``org.neo4j.server.CommunityEntryPoint``) over jars that `kg.runtime`
resolves from Maven Central. Its folder (``home``) holds ``conf/``, ``data/``, ``logs/``, ``run/`` and the
generated password (mode 0600). It listens on 127.0.0.1 only, with authentication on.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kg.graph import GraphClient
from kg.runtime import Distribution, find_java, resolve_distribution
from ontology.errors import GraphAuthError, GraphUnavailableError, ServerError

__all__ = ["APOC_VERSION", "NEO4J_VERSION", "ManagedServer", "ServerConfig", "ServerStatus"]

log = logging.getLogger(__name__)

NEO4J_VERSION = "5.26.30"
APOC_VERSION = "5.26.19"
_PID_FILE = "symbiosis-neo4j.json"
_JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dfile.encoding=UTF-8",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
)


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Everything the managed server needs; plain values, built by the composition root from `Settings`."""

    home: Path
    cache_dir: Path
    version: str = NEO4J_VERSION
    apoc_version: str = APOC_VERSION
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "1g"
    pagecache: str = "512m"
    tx_memory: str = "512m"
    java_home: Path | None = None
    start_timeout_s: float = 120.0
    maven_repo: Path | None = None
    maven_offline: bool = False

    @property
    def bolt_uri(self) -> str:
        """Bolt address clients connect to."""
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str:
        """HTTP address (Neo4j Browser at ``/browser/``)."""
        return f"http://127.0.0.1:{self.http_port}"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """What ``symbiosis db status`` reports."""

    running: bool
    version: str
    bolt_uri: str
    http_url: str
    home: Path
    pid: int | None = None
    memory_mb: float | None = None
    detail: str = ""


def _alive(pid: int) -> bool:
    """True if ``pid`` runs and is not a zombie; reaps it if it is our exited child."""
    with contextlib.suppress(ChildProcessError, OSError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" not in state


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError as e:
            return e.errno == errno.EADDRINUSE or e.errno == errno.EACCES
    return False


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class ManagedServer:
    """Start, stop and inspect the local Neo4j server described by a `ServerConfig`."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config
        # the JVM we started in this process, kept so it can be reaped (and is not garbage-collected while running)
        self._proc: subprocess.Popen[bytes] | None = None

    # ------------------------------------------------------------------ files

    @property
    def password_file(self) -> Path:
        """The generated password, readable by the user only."""
        return self.config.home / "password"

    @property
    def _pid_file(self) -> Path:
        return self.config.home / "run" / _PID_FILE

    @property
    def log_file(self) -> Path:
        """Console output of the JVM: the first place to look when start fails."""
        return self.config.home / "logs" / "console.log"

    def password(self) -> str:
        """The password of the ``neo4j`` user, generated (mode 0600) on first use."""
        if self.password_file.exists():
            return self.password_file.read_text().strip()
        self.password_file.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(24)
        fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(value + "\n")
        return value

    def _alive(self, pid: int) -> bool:
        """Whether ``pid`` runs; our own child is asked through its Popen, so it is reaped exactly once."""
        if self._proc is not None and self._proc.pid == pid:
            return self._proc.poll() is None
        return _alive(pid)

    def _read_pid(self) -> int | None:
        try:
            return int(json.loads(self._pid_file.read_text())["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_conf(self, dist: Distribution) -> Path:
        c = self.config
        conf_dir = c.home / "conf"
        conf_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "logs", "run", "import"):
            (c.home / sub).mkdir(parents=True, exist_ok=True)
        lines = [
            "# Written by symbiosis on every start; edit the settings (SYMBIOSIS_NEO4J__*), not this file.",
            f"server.directories.data={c.home / 'data'}",
            f"server.directories.logs={c.home / 'logs'}",
            f"server.directories.run={c.home / 'run'}",
            f"server.directories.import={c.home / 'import'}",
            f"server.directories.plugins={dist.plugins}",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{c.bolt_port}",
            f"server.bolt.advertised_address=127.0.0.1:{c.bolt_port}",
            "server.http.enabled=true",
            f"server.http.listen_address=127.0.0.1:{c.http_port}",
            f"server.http.advertised_address=127.0.0.1:{c.http_port}",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            "dbms.security.procedures.unrestricted=apoc.*",
            "dbms.usage_report.enabled=false",
            f"server.memory.pagecache.size={c.pagecache}",
            f"dbms.memory.transaction.total.max={c.tx_memory}",
            "db.transaction.timeout=300s",
            "db.tx_log.rotation.retention_policy=1 days 512M",
        ]
        (conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n")
        return conf_dir

    # ------------------------------------------------------------------ lifecycle

    def status(self) -> ServerStatus:
        """Report whether the server runs, with its version, addresses, folder and memory."""
        c = self.config
        pid = self._read_pid()
        if pid is None or not self._alive(pid):
            detail = "stale PID file (the server was not stopped cleanly)" if pid is not None else ""
            return ServerStatus(False, c.version, c.bolt_uri, c.http_url, c.home, detail=detail)
        version = c.version
        detail = ""
        try:
            version = self._server_version()
        except (GraphUnavailableError, GraphAuthError) as e:
            detail = f"process {pid} runs but Bolt does not answer yet: {e}"
        return ServerStatus(True, version, c.bolt_uri, c.http_url, c.home, pid, _rss_mb(pid), detail)

    def start(self) -> ServerStatus:
        """Start the server and wait until Bolt answers; a no-op if it already runs.

        Raises:
            ConfigError: no Java 17/21 or no Maven.
            ServerError: a port is taken, Maven failed, or the JVM exited or did not answer in time.
        """
        c = self.config
        pid = self._read_pid()
        if pid is not None:
            if self._alive(pid):
                return self.status()
            log.warning("removing stale PID file %s (process %d is gone)", self._pid_file, pid)
            self._pid_file.unlink(missing_ok=True)
        for name, port in (("Bolt", c.bolt_port), ("HTTP", c.http_port)):
            if _port_in_use(port):
                raise ServerError(
                    f"cannot start Neo4j: {name} port {port} on 127.0.0.1 is already in use by another program. "
                    f"Stop it, or choose another port with SYMBIOSIS_NEO4J__{name.upper()}_PORT."
                )
        java = find_java(c.java_home)
        dist = resolve_distribution(
            c.cache_dir, c.version, c.apoc_version, maven_repo=c.maven_repo, offline=c.maven_offline
        )
        conf_dir = self._write_conf(dist)
        password = self.password()
        if not (c.home / "data" / "dbms").exists():
            self._set_initial_password(java.executable, dist, conf_dir, password)
        cmd = [
            str(java.executable),
            f"-Xmx{c.heap}",
            "-Xms256m",
            *_JVM_FLAGS,
            "-cp",
            # APOC registers its extensions through the classpath, as the official launcher does for plugins/
            f"{dist.plugins}/*:{dist.lib}/*",
            "org.neo4j.server.CommunityEntryPoint",
            f"--home-dir={c.home}",
            f"--config-dir={conf_dir}",
            "--console-mode",
        ]
        log.info("starting Neo4j %s on %s", c.version, c.bolt_uri)
        with open(self.log_file, "ab") as out:
            proc = subprocess.Popen(  # noqa: S603 - fixed argv, no shell
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self._proc = proc
        self._pid_file.write_text(json.dumps({"pid": proc.pid, "bolt_port": c.bolt_port, "version": c.version}))
        self._wait_ready(proc)
        return self.status()

    def _set_initial_password(self, java: Path, dist: Distribution, conf_dir: Path, password: str) -> None:
        env = {**os.environ, "NEO4J_HOME": str(self.config.home), "NEO4J_CONF": str(conf_dir)}
        proc = subprocess.run(  # noqa: S603
            [
                str(java),
                "-cp",
                f"{dist.lib}/*",
                "org.neo4j.server.startup.Neo4jAdminCommand",
                "dbms",
                "set-initial-password",
                password,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ServerError(f"could not set the Neo4j password in {self.config.home}: {detail[0][:300]}")

    def _wait_ready(self, proc: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.config.start_timeout_s
        last_error = "no answer"
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                self._pid_file.unlink(missing_ok=True)
                raise ServerError(
                    f"Neo4j exited during start-up (code {proc.returncode}): {self._startup_error()} "
                    f"Full log: {self.log_file}"
                )
            try:
                self._server_version()
                return
            except GraphUnavailableError as e:
                last_error = str(e)
            time.sleep(0.5)
        self._terminate(proc.pid, timeout_s=30)
        raise ServerError(
            f"Neo4j did not answer on {self.config.bolt_uri} within {self.config.start_timeout_s:.0f} s "
            f"({last_error}); it was stopped. See {self.log_file}"
        )

    def _startup_error(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()[-200:]
        except OSError:
            return "no log written."
        causes = [ln.strip() for ln in lines if ln.strip().startswith("Caused by:")]
        errors = [ln.strip() for ln in lines if " ERROR " in ln]
        return (causes[-1] if causes else errors[-1] if errors else (lines[-1] if lines else "empty log"))[:400]

    def _server_version(self) -> str:
        with GraphClient.connect(self.config.bolt_uri, "neo4j", self.password()) as client:
            return client.verify()

    def stop(self, timeout_s: float = 120.0) -> bool:
        """Shut the server down cleanly (SIGTERM: Neo4j checkpoints and closes the store).

        Returns:
            True if a running server was stopped, False if none was running.

        Raises:
            ServerError: it did not exit within ``timeout_s`` and had to be killed.
        """
        pid = self._read_pid()
        if pid is None or not self._alive(pid):
            self._pid_file.unlink(missing_ok=True)
            return False
        self._terminate(pid, timeout_s)
        self._pid_file.unlink(missing_ok=True)
        return True

    def _terminate(self, pid: int, timeout_s: float) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self._alive(pid):
                self._proc = None
                return
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        raise ServerError(f"Neo4j (pid {pid}) did not shut down within {timeout_s:.0f} s and was killed.")
