"""Keep freed memory in the process instead of handing it back to the system at every step (glibc only).

A training step allocates and frees the same few arrays of several megabytes again and again (im2col columns,
gradients, the update rules' new parameters). glibc's malloc returns such blocks to the system when they are freed
(`munmap`, or trimming the top of the heap past 2 x the mmap threshold), and the next step pays a page fault for
every 4 KB page it touches again: measured on the benchmark convolution, 2,200 page faults and about 40% of the
step's time. Raising the two thresholds makes malloc reuse the blocks instead. It changes only when memory goes
back to the system (a process may keep up to TRIM_THRESHOLD of freed memory), never what is allocated or computed;
on other systems (macOS, Windows, musl) it does nothing.

Importing lecture_utils sets them (its one effect on the process); set LECTURE_UTILS_MALLOC=default in the
environment to leave glibc's defaults. benchmarks/README.md has the measured gain, with and without.
"""
import ctypes
import ctypes.util
import os
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # from glibc's malloc.h
TRIM_THRESHOLD = 256 * 2**20  # keep up to this much freed memory at the top of the heap
MMAP_THRESHOLD = 32 * 2**20  # blocks below this come from the heap (glibc's largest allowed value)
OPT_OUT = "LECTURE_UTILS_MALLOC"


def keep_freed_memory():
    """Set glibc's malloc thresholds (see the module docstring). Returns True when they were set."""
    if os.environ.get(OPT_OUT, "") == "default" or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)) and bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))
