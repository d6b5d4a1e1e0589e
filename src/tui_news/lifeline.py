"""Helper processes die with the process that started them.

A refresh runs helpers: the reader's refresh child, multiprocessing's forkserver and the parser
workers it forks (the resource tracker exits by itself once they are gone). Killed with SIGKILL,
a parent runs no clean-up, and its helpers used to live on for good, holding its stdout open
(a `tui-news refresh | cat` never ended). On Linux each helper asks the kernel for a signal
when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere this does nothing.

The signal comes when the parent *thread* that started the helper ends: start helpers from a
thread that lives as long as they should (the main thread).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

__all__ = ["die_with_parent"]

_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGKILL) -> bool:
    """Have the kernel send `sig` to this process when its parent dies; True when it will.

    A parent already gone (this process was re-parented before the call) ends this one now.
    """
    if not sys.platform.startswith("linux"):
        return False
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent == 1 or os.getppid() != parent:  # the parent died before the request took hold
        os.kill(os.getpid(), sig)
    return True
