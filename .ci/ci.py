#!/usr/bin/env python3
"""CI, from a clean clone of main: the README's two set-up commands exactly as the README writes
them (read from its "Set-up" section, so the two cannot drift apart), each in a fresh virtual
environment made by the interpreter with its own pip (no upgrade step), with an empty HOME.

1. The install-and-open command: the install, then the reader in a pseudo-terminal of 80x24 with
   HTTP_PROXY/HTTPS_PROXY on a closed loopback port (nothing leaves the machine). It must paint its
   first screen, then quit on `q` with status 0.
2. The install-and-test command, with TUI_NEWS_REQUIRE_CORPUS=1 (missing third-party test data
   fails instead of skipping) and TUI_NEWS_REQUIRE_SNAPSHOTS=1 (a Textual other than the one in
   constraints.txt fails the snapshot tests instead of skipping them). constraints.txt is handed
   to pip through PIP_CONSTRAINT, so the commands stay as written.

Any pip warning fails the run, except this machine's own `Location 'file:///opt/pypi…' is
ignored` lines (its pip configuration, not our packaging)."""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL_TIMEOUT_S = 900
PAINT_TIMEOUT_S = 60
QUIT_TIMEOUT_S = 30
# The reader's first screen: the sidebar's first entry, in Vietnamese (the default language).
FIRST_PAINT = "Tất cả".encode()
MACHINE_WARNING = re.compile(r"WARNING: Location 'file:///opt/pypi[^']*' is ignored")
PIP_WARNING = re.compile(r"^\s*(WARNING|DEPRECATION):", re.MULTILINE)


def fail(message: str) -> None:
    print(f"\nci: FAILED: {message}", flush=True)
    sys.exit(1)


def step(message: str) -> None:
    print(f"\nci: {message}", flush=True)


def readme_commands() -> tuple[str, str]:
    """The two ```sh blocks of the README's "Set-up" section: install+open, install+test."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Set-up\n(.*?)(?=^## )", readme, re.MULTILINE | re.DOTALL)
    if section is None:
        fail("README.md has no '## Set-up' section")
    blocks = re.findall(r"^```sh\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL)
    commands = [" ".join(block.split("\n")).strip() for block in blocks]
    if len(commands) != 2:
        fail(f"README.md's Set-up has {len(commands)} sh blocks, expected 2")
    open_cmd, test_cmd = commands
    if not open_cmd.endswith("&& .venv/bin/tui-news"):
        fail(f"README's first command does not end by opening the reader: {open_cmd}")
    if not test_cmd.endswith("&& .venv/bin/pytest"):
        fail(f"README's second command does not end with the tests: {test_cmd}")
    for command in commands:
        if "--upgrade" in command or " -U " in command:
            fail(f"README's command upgrades something: {command}")
    return open_cmd, test_cmd


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TUI_NEWS_", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                                "XDG_STATE_HOME", "VIRTUAL_ENV", "PYTHON"))
           and k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env["HOME"] = str(home)
    env["TERM"] = "xterm-256color"
    env.pop("NO_COLOR", None)
    constraints = ROOT / "constraints.txt"
    if constraints.exists():
        machine = [c for c in os.environ.get("PIP_CONSTRAINT", "").split() if c]
        machine += [str(p) for p in (Path("/etc/xdg/pip/constraints.txt"),) if p.exists()]
        env["PIP_CONSTRAINT"] = " ".join([str(constraints), *machine])
    return env


def check_pip_output(output: str, what: str) -> None:
    warnings = [line.strip() for line in output.splitlines()
                if PIP_WARNING.match(line) and not MACHINE_WARNING.search(line)]
    if warnings:
        fail(f"{what} printed {len(warnings)} warning(s):\n  " + "\n  ".join(warnings))


def run_logged(command: str, env: dict[str, str], timeout: float) -> str:
    """Run a shell command in the checkout, echoing and keeping its output."""
    print(f"$ {command}", flush=True)
    proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, bufsize=1)
    assert proc.stdout is not None
    lines = []
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        sys.stdout.write(line)
        lines.append(line)
        if time.monotonic() > deadline:
            proc.kill()
            fail(f"took longer than {timeout:.0f} s: {command}")
    status = proc.wait()
    output = "".join(lines)
    if status != 0:
        fail(f"exit status {status}: {command}")
    return output


def closed_port() -> socket.socket:
    """A loopback port bound but never listening: every connection to it is refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock


def run_reader(command: str, env: dict[str, str]) -> None:
    """The reader in a pseudo-terminal of 80x24: first paint, `q`, exit status 0."""
    print(f"$ {command}    (in a pseudo-terminal of 80x24, proxies on a closed port)",
          flush=True)
    pid, fd = pty.fork()
    if pid == 0:  # the child: the terminal's size, then the command
        try:
            import fcntl

            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.chdir(ROOT)
            os.execvpe("bash", ["bash", "-c", command], env)
        finally:
            os._exit(127)
    screen = bytearray()

    def read_until(pattern: bytes, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # the child closed the terminal
                    return pattern in screen
                if not chunk:
                    return pattern in screen
                screen.extend(chunk)
                if pattern in screen:
                    return True
        return False

    try:
        if not read_until(FIRST_PAINT, PAINT_TIMEOUT_S):
            tail = screen[-2000:].decode("utf-8", "replace")
            fail(f"the reader painted no first screen within {PAINT_TIMEOUT_S} s; it wrote:\n"
                 f"{tail!r}")
        step("the reader painted its first screen; sending q")
        time.sleep(1.0)  # the refresh behind the first paint is under way when q comes
        os.write(fd, b"q")
        deadline = time.monotonic() + QUIT_TIMEOUT_S
        while time.monotonic() < deadline:
            read_until(b"\x00never", 0.2)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            fail(f"the reader did not exit within {QUIT_TIMEOUT_S} s of q")
    finally:
        os.close(fd)
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        tail = screen[-2000:].decode("utf-8", "replace")
        fail(f"the reader exited with status {code} after q; it wrote:\n{tail!r}")
    step("the reader quit with status 0")


def main() -> None:
    started = time.monotonic()
    open_cmd, test_cmd = readme_commands()
    *install_parts, reader = open_cmd.split(" && ")
    with tempfile.TemporaryDirectory(prefix="tui-news-ci-home-") as home_dir:
        home = Path(home_dir)

        step("README command 1: install and open the reader")
        shutil.rmtree(ROOT / ".venv", ignore_errors=True)
        env = base_env(home)
        check_pip_output(run_logged(" && ".join(install_parts), env, INSTALL_TIMEOUT_S),
                         "the install")
        proxy = closed_port()
        try:
            address = "http://127.0.0.1:%d" % proxy.getsockname()[1]
            reader_env = dict(env, HTTP_PROXY=address, HTTPS_PROXY=address,
                              http_proxy=address, https_proxy=address)
            run_reader(reader, reader_env)
        finally:
            proxy.close()
        for leftover in home.iterdir():
            shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()

        step("README command 2: install and run the tests")
        shutil.rmtree(ROOT / ".venv", ignore_errors=True)
        env = base_env(home)
        env["TUI_NEWS_REQUIRE_CORPUS"] = "1"
        env["TUI_NEWS_REQUIRE_SNAPSHOTS"] = "1"
        output = run_logged(test_cmd, env, INSTALL_TIMEOUT_S + 1800)
        check_pip_output(output.split("test session starts")[0], "the install")
    step(f"passed in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    if sys.argv[1:] == ["--commands"]:  # what would run, for the tests and a reader of the README
        try:
            print("\n".join(readme_commands()), flush=True)
        except BrokenPipeError:  # `--commands | head -1`: the reader stopped reading, no traceback
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    else:
        main()
