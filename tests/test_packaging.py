"""Packaging ready for a package index: an SPDX licence and its file, classifiers, project URLs,
absolute image links in the README (its page there), Textual a compatible range with the exact
release of the snapshots in constraints.txt, and .ci/run (bash, handing over to .ci/ci.py)
running the README's commands."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_licence_classifiers_and_urls() -> None:
    assert PROJECT["license"] == "MIT"  # an SPDX expression, not the deprecated table
    assert PROJECT["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    classifiers = set(PROJECT["classifiers"])
    assert {"Environment :: Console", "Operating System :: POSIX",
            "Programming Language :: Python :: 3.11"} <= classifiers
    assert not any(c.startswith("License ::") for c in classifiers)  # PEP 639: the expression
    assert PROJECT["urls"] and all(u.startswith("https://") for u in PROJECT["urls"].values())


def test_readme_images_are_absolute_links() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert images and all(link.startswith("https://") for link in images)
    for link in images:  # and each names a file the project has
        assert (ROOT / link.split("/main/", 1)[1]).is_file(), link


def test_textual_is_a_range_and_the_snapshots_use_one_release_of_it() -> None:
    (textual,) = [d for d in PROJECT["dependencies"] if d.startswith("textual")]
    assert "==" not in textual and "<" in textual and ">=" in textual
    pins = dict(re.findall(r"^([\w.-]+)==(\S+)", (ROOT / "constraints.txt").read_text(),
                           re.MULTILINE))
    low = textual.split(">=")[1].split(",")[0]
    major = int(textual.split("<")[1].strip('"'))
    version = tuple(int(p) for p in pins["textual"].split("."))
    assert tuple(int(p) for p in low.split(".")) <= version < (major,)


def test_the_html_cleaner_is_declared_under_both_names() -> None:
    """jusText (under trafilatura) asks for lxml[html_clean]: pip before 23.3 does not match it
    to lxml's `html-clean` extra, so the project names the extra as lxml spells it, and the
    package itself."""
    deps = PROJECT["dependencies"]
    assert any(d.startswith("lxml[html-clean]") for d in deps)
    assert any(d.startswith("lxml_html_clean") for d in deps)
    import lxml_html_clean  # noqa: F401  (installed: `import trafilatura` works)
    import trafilatura  # noqa: F401


def test_ci_reads_the_readme_commands() -> None:
    """CI runs `.ci/run` with bash: the entry point must be a bash script that hands over to
    ci.py (a Python file there failed CI in one second)."""
    out = subprocess.run(["bash", str(ROOT / ".ci" / "run"), "--commands"], capture_output=True,
                         text=True, check=True, timeout=60).stdout.splitlines()
    assert out == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/tui-news",
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest",
    ]
