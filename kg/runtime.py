"""What a local Neo4j server needs on disk: a Java 17/21 runtime and the jars resolved from Maven Central.

The jars go into a cache folder per version (``<cache>/neo4j-<version>/{lib,plugins}``) with a manifest of
file names and sizes; a folder whose manifest is missing or disagrees with the files is re-resolved.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ontology.errors import ConfigError, ServerError

__all__ = ["Distribution", "JavaRuntime", "find_java", "resolve_distribution"]

log = logging.getLogger(__name__)

POM_PATH = Path(__file__).with_name("neo4j-runtime.pom.xml")
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
SUPPORTED_JAVA = (17, 21)
MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class JavaRuntime:
    """A usable ``java`` executable and its major version."""

    executable: Path
    major: int


@dataclass(frozen=True, slots=True)
class Distribution:
    """A resolved Neo4j classpath: ``lib/`` (server) and ``plugins/`` (APOC)."""

    root: Path
    version: str

    @property
    def lib(self) -> Path:
        """Server jars."""
        return self.root / "lib"

    @property
    def plugins(self) -> Path:
        """Procedure plugins (APOC)."""
        return self.root / "plugins"


def _java_major(executable: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(executable), "-version"], capture_output=True, text=True, timeout=30, check=False
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


def find_java(java_home: Path | None = None) -> JavaRuntime:
    """Find Java 17 or 21: the configured home, then ``$JAVA_HOME``, ``PATH``, and ``/usr/lib/jvm``.

    Raises:
        ConfigError: no supported Java is installed.
    """
    candidates: list[Path] = []
    if java_home is not None:
        candidates.append(Path(java_home) / "bin" / "java")
    else:
        if os.environ.get("JAVA_HOME"):
            candidates.append(Path(os.environ["JAVA_HOME"]) / "bin" / "java")
        on_path = shutil.which("java")
        if on_path:
            candidates.append(Path(on_path))
        jvm_root = Path("/usr/lib/jvm")
        if jvm_root.is_dir():
            candidates.extend(sorted(jvm_root.glob("*/bin/java")))
    seen: list[str] = []
    for exe in candidates:
        if not exe.exists():
            continue
        major = _java_major(exe)
        seen.append(f"{exe} ({major or 'unknown version'})")
        if major in SUPPORTED_JAVA:
            return JavaRuntime(exe, major)
    found = "; found: " + ", ".join(seen) if seen else ""
    where = f" in {java_home}" if java_home is not None else ""
    raise ConfigError(
        f"Neo4j 5.26 needs Java 17 or 21 and none was found{where}{found}. "
        "Install one (e.g. `apt-get install openjdk-17-jre-headless`) or set SYMBIOSIS_NEO4J__JAVA_HOME."
    )


def _manifest_of(root: Path) -> dict[str, int]:
    return {
        str(p.relative_to(root)): p.stat().st_size
        for folder in ("lib", "plugins")
        for p in sorted((root / folder).glob("*.jar"))
    }


def _is_complete(root: Path) -> tuple[bool, str]:
    manifest_path = root / MANIFEST
    if not root.exists():
        return False, "not resolved yet"
    if not manifest_path.exists():
        return False, f"{root} has no {MANIFEST} (interrupted download?)"
    try:
        expected = json.loads(manifest_path.read_text())["files"]
    except (ValueError, KeyError) as e:
        return False, f"{manifest_path} is unreadable ({e})"
    actual = _manifest_of(root)
    if actual != expected:
        missing = sorted(set(expected) - set(actual))
        changed = sorted(k for k in expected if k in actual and actual[k] != expected[k])
        detail = ", ".join(missing[:3] + changed[:3]) or "unexpected files"
        return False, f"{root} is corrupt or incomplete ({detail})"
    return True, "ok"


def resolve_distribution(
    cache_dir: Path,
    version: str,
    apoc_version: str,
    *,
    maven: str = "mvn",
    maven_repo: Path | None = None,
    offline: bool = False,
) -> Distribution:
    """Return the cached distribution for ``version``, resolving it with Maven first if needed.

    Raises:
        ConfigError: Maven is not installed.
        ServerError: Maven could not resolve the artifacts (offline, unreachable, unknown version).
    """
    root = Path(cache_dir) / f"neo4j-{version}-apoc-{apoc_version}"
    ok, why = _is_complete(root)
    if ok:
        return Distribution(root, version)
    if root.exists():
        log.warning("re-resolving Neo4j: %s", why)
    mvn = shutil.which(maven)
    if mvn is None:
        raise ConfigError(f"Maven ({maven}) is not installed; it resolves Neo4j. Install it: apt-get install maven")
    root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{root.name}-", dir=root.parent))
    try:
        cmd = [
            mvn,
            "-q",
            "-B",
            "-f",
            str(POM_PATH),
            f"{DEPENDENCY_PLUGIN}:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={staging / 'lib'}",
            f"-Dneo4j.version={version}",
            f"-Dapoc.version={apoc_version}",
        ]
        if maven_repo is not None:
            cmd.append(f"-Dmaven.repo.local={maven_repo}")
        if offline:
            cmd.append("-o")
        log.info("resolving Neo4j %s and APOC %s with Maven", version, apoc_version)
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=1800)
        if proc.returncode != 0:
            lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if "ERROR" in ln] or [""]
            raise ServerError(
                f"Maven could not resolve Neo4j {version} / APOC {apoc_version} from Maven Central: "
                f"{lines[0].replace('[ERROR]', '').strip()[:300]} "
                "Check the network or proxy (~/.m2/settings.xml) and the version numbers, then retry."
            )
        (staging / "plugins").mkdir()
        for jar in (staging / "lib").glob("apoc-*.jar"):
            jar.rename(staging / "plugins" / jar.name)
        (staging / MANIFEST).write_text(
            json.dumps({"version": version, "apoc": apoc_version, "files": _manifest_of(staging)}, indent=1)
        )
        if root.exists():
            shutil.rmtree(root)
        staging.rename(root)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Distribution(root, version)
