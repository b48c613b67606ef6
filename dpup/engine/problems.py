"""A problem found in a knowledge file, reported as ``file:node: reason (line N)``."""

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    node: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.file}:{self.node}: {self.reason}{where}"
