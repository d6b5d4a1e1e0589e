"""The results table (console and Markdown) and bench/RESULTS.md."""

from __future__ import annotations

import math
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

HEADER = ("figure", "tui-news", "reference", "ratio", "target", "met")


@dataclass
class Row:
    """One figure. `value`/`reference` are numbers in `unit` (None: not measured)."""

    figure: str
    unit: str
    value: float | None
    reference: float | None = None
    reference_label: str = ""  # what the reference is ("newsboat", "minimal app", "doc" …)
    target: str = ""
    limit: float | None = None  # the target as a number …
    on_ratio: bool = False  # … applied to value/reference instead of value
    reference_text: str | None = None  # shown instead of `reference` (a figure from elsewhere)
    notes: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """value / reference, only when the reference was measured in the same run."""
        if self.value is None or not self.reference or self.reference_text:
            return None
        return self.value / self.reference

    @property
    def met(self) -> str:
        if self.limit is None:
            return "—"
        measured = self.ratio if self.on_ratio else self.value
        if measured is None or (isinstance(measured, float) and math.isnan(measured)):
            return "n/a"
        return "met" if measured <= self.limit else "NOT MET"

    def cells(self) -> tuple[str, ...]:
        def fmt(v: float | None) -> str:
            if v is None:
                return "n/a"
            if self.unit == "s":
                return f"{v:.2f} s"
            if self.unit == "MiB":
                return f"{v:.0f} MiB"
            return f"{v:.1f} {self.unit}"

        ref = fmt(self.reference) if self.reference is not None else "n/a"
        if self.reference_label:
            ref = f"{ref} ({self.reference_label})"
        if self.reference_text:
            ref = self.reference_text
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else "—"
        return (self.figure, fmt(self.value), ref, ratio, self.target, self.met)


def console_table(rows: list[Row]) -> str:
    table = [HEADER, *(r.cells() for r in rows)]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    out = []
    for n, line in enumerate(table):
        out.append("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(rows: list[Row]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(out)


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {"nproc": str(os.cpu_count()), "cpu": cpu, "memory": mem,
            "os": platform.platform(), "python": platform.python_version()}


HISTORY = "## Changes measured"


def write_results(path: Path, *, rows: list[Row], info: dict[str, str], command: str,
                  date: str, notes: list[str]) -> None:
    lines = [
        "# tui-news benchmark results",
        "",
        f"Measured {date} by `{command}` (run from the repository root).",
        "",
        "## Machine and versions",
        "",
        *[f"- {k}: {v}" for k, v in info.items()],
        "",
        "## Figures",
        "",
        markdown_table(rows),
        "",
        "## Notes",
        "",
        *[f"- {n}" for n in notes],
        "",
        "## Reproduce",
        "",
        "```sh",
        command,
        "```",
        "",
    ]
    # The hand-written record of changes measured before and after is kept from run to run.
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if HISTORY in old:
        lines.append(old[old.index(HISTORY):].rstrip("\n") + "\n")
    path.write_text("\n".join(lines), encoding="utf-8")
