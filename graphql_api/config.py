"""Service settings, read once from ``CAREERGRAPH_*`` environment variables and immutable after."""

from __future__ import annotations

import dataclasses
import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["ENV_PREFIX", "LOG_LEVELS", "Settings", "SettingsError"]

ENV_PREFIX = "CAREERGRAPH_"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the environment variable."""

    def __init__(self, variable: str, problem: str) -> None:
        self.variable = variable
        self.problem = problem
        super().__init__(f"{variable}: {problem}")


@dataclass(frozen=True)
class Settings:
    """Everything the service can be told; each field ``x`` is read from ``CAREERGRAPH_X``."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    # None means the embedded default snapshot shipped in data/.
    snapshot: Path | None = None
    log_level: str = "info"
    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    # Caps the query text before the lexer sees it, so a 10 MB document costs one len().
    max_document_bytes: int = 100_000
    # Caps the whole HTTP body (query plus variables plus JSON framing).
    max_request_bytes: int = 1_000_000
    max_cost: int = 50_000
    response_cache_size: int = 1024
    document_cache_size: int = 512
    graphiql: bool = True
    # Browser origins allowed to call the API (comma-separated); "*" suits a public read-only API.
    cors_origins: str = "*"
    # Import paths ("module:attribute") that replace the default factories; for tests and embedders.
    schema_factory: str | None = None
    context_factory: str | None = None
    snapshot_loader: str | None = None

    def __post_init__(self) -> None:
        for field in dataclasses.fields(self):
            _check(field.name, getattr(self, field.name))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from ``environ`` (default ``os.environ``); keyword overrides win.

        >>> Settings.from_env({"CAREERGRAPH_PORT": "9000"}, workers=2).port
        9000
        """
        env = os.environ if environ is None else environ
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):
            if field.name in overrides:
                values[field.name] = overrides.pop(field.name)
                continue
            variable = ENV_PREFIX + field.name.upper()
            raw = env.get(variable)
            if raw is not None:
                values[field.name] = _convert(variable, raw, hints[field.name])
        if overrides:
            unknown = ", ".join(sorted(overrides))
            raise TypeError(f"unknown settings: {unknown}")
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """Render the settings as ``CAREERGRAPH_*`` variables, so worker processes see the same."""
        env: dict[str, str] = {}
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if value is None:
                continue
            if isinstance(value, bool):
                value = "true" if value else "false"
            env[ENV_PREFIX + field.name.upper()] = str(value)
        return env


def _convert(variable: str, raw: str, hint: Any) -> Any:
    text = raw.strip()
    optional = False
    if isinstance(hint, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        optional = len(members) < len(typing.get_args(hint))
        hint = members[0]
    if optional and text == "":
        return None
    if hint is bool:
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise SettingsError(variable, f"expected true/false (or 1/0, yes/no, on/off), got {raw!r}")
    if hint is int:
        try:
            return int(text)
        except ValueError:
            raise SettingsError(variable, f"expected an integer, got {raw!r}") from None
    if hint is Path:
        return Path(text).expanduser()
    return text


def _check(name: str, value: object) -> None:
    variable = ENV_PREFIX + name.upper()
    if name == "port":
        if not isinstance(value, int) or not 0 <= value <= 65535:
            raise SettingsError(variable, f"expected a port number 0-65535, got {value!r}")
    elif name in {"response_cache_size", "document_cache_size"}:
        if not isinstance(value, int) or value < 0:
            raise SettingsError(variable, f"expected an integer >= 0, got {value!r}")
    elif name in {
        "workers",
        "max_depth",
        "max_aliases",
        "max_tokens",
        "max_document_bytes",
        "max_request_bytes",
        "max_cost",
    }:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise SettingsError(variable, f"expected a positive integer, got {value!r}")
    elif name == "log_level":
        if not isinstance(value, str) or value.lower() not in LOG_LEVELS:
            raise SettingsError(variable, f"expected one of {', '.join(LOG_LEVELS)}, got {value!r}")
    elif name in {"schema_factory", "context_factory", "snapshot_loader"}:
        if value is not None and (not isinstance(value, str) or ":" not in value):
            raise SettingsError(variable, f"expected 'module:attribute', got {value!r}")
    elif name == "graphiql" and not isinstance(value, bool):
        raise SettingsError(variable, f"expected a boolean, got {value!r}")
