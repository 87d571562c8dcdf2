"""Errors raised while reading a published release."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ReleaseFormatError", "ReleaseMissingError"]


class ReleaseFormatError(ValueError):
    """A release file is malformed; the message names the file and the line (or sheet and row)."""

    def __init__(self, file: str | Path, where: str | int | None, problem: str) -> None:
        self.file = str(file)
        self.where = where
        self.problem = problem
        location = self.file
        if isinstance(where, int):
            location += f", line {where}"
        elif where:
            location += f", {where}"
        super().__init__(f"{location}: {problem}")


class ReleaseMissingError(FileNotFoundError):
    """A required release file is absent."""
