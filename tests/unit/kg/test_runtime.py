from pathlib import Path

import pytest

from kg.runtime import find_java
from ontology.errors import ConfigError


def test_finds_a_supported_java_on_this_machine() -> None:
    java = find_java()
    assert java.major in (17, 21) and java.executable.exists()


def test_a_home_without_java_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="needs Java 17 or 21 .* SYMBIOSIS_NEO4J__JAVA_HOME"):
        find_java(tmp_path)


def test_an_unsupported_java_is_named(tmp_path: Path) -> None:
    fake = tmp_path / "bin" / "java"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'openjdk version \"11.0.2\" 2019-01-15' >&2\n")
    fake.chmod(0o755)
    with pytest.raises(ConfigError, match=r"found: .*\(11\)"):
        find_java(tmp_path)
