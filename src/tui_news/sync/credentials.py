"""The Fever key from [sync]: `api_key` as given, or md5("user:password") with the password read
from `password_command`'s stdout. The command is an argument list run without a shell; nothing it
prints is ever shown, and the key lives only in memory."""

from __future__ import annotations

import asyncio
import subprocess

from tui_news.config import SyncConfig
from tui_news.sync.client import SyncError
from tui_news.sync.fever import fever_api_key
from tui_news.text import clean

PASSWORD_TIMEOUT = 60.0  # seconds: a password manager may ask for its own passphrase


async def api_key(sync: SyncConfig) -> str:
    """The account's Fever key; SyncError ("config") when the password cannot be had."""
    if sync.api_key:
        return sync.api_key
    password = await asyncio.to_thread(read_password, sync.password_command)
    return fever_api_key(sync.user or "", password)


def read_password(command: tuple[str, ...]) -> str:
    """The first line of the command's stdout, without its line ending."""
    program = clean(command[0], limit=80) if command else ""
    if not command:
        raise SyncError("sync.password_command is empty", "config")
    try:
        done = subprocess.run(list(command), stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=PASSWORD_TIMEOUT, check=False, shell=False)
    except FileNotFoundError:
        raise SyncError(f"sync.password_command: {program!r} not found", "config") from None
    except PermissionError:
        raise SyncError(f"sync.password_command: {program!r} cannot be run", "config") from None
    except subprocess.TimeoutExpired:
        raise SyncError(f"sync.password_command: {program!r} gave no password within "
                        f"{PASSWORD_TIMEOUT:g} s", "config") from None
    except OSError as exc:
        raise SyncError(f"sync.password_command: {program!r}: {exc.strerror or 'failed'}",
                        "config") from None
    if done.returncode != 0:
        raise SyncError(f"sync.password_command: {program!r} failed (exit status "
                        f"{done.returncode})", "config")
    try:
        text = done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise SyncError(f"sync.password_command: {program!r} printed no UTF-8 text",
                        "config") from None
    password = text.splitlines()[0] if text.splitlines() else ""
    if not password:
        raise SyncError(f"sync.password_command: {program!r} printed no password", "config")
    return password
