"""Races made reproducible: make a thread give up the GIL before every line of chosen code.

Left to CPython's 5 ms switch interval, a race between two lines of a memo shows up once in
thousands of calls. A thread traced with `switch_threads_in(...)` sleeps for zero seconds (which
releases the GIL) before each line of the given functions and of the routing code they call, so
other threads run between any two of those lines, many times in every test run.
"""

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import logistics.routing

ROUTING_DIR = str(Path(logistics.routing.__file__).parent)


def switch_threads_in(*functions: Callable) -> Callable:
    """A `sys.settrace` function for the current thread (see the module docstring)."""
    codes = {function.__code__ for function in functions}

    def each_line(frame, event, arg):
        if event == "line":
            time.sleep(0)
        return each_line

    def on_call(frame, event, arg):
        caller = frame
        while caller is not None:
            if caller.f_code in codes:
                return each_line
            if not caller.f_code.co_filename.startswith(ROUTING_DIR):
                return None
            caller = caller.f_back
        return None

    return on_call


@contextmanager
def interleaved(*functions: Callable) -> Iterator[None]:
    """Trace this thread with `switch_threads_in(*functions)` for the duration."""
    sys.settrace(switch_threads_in(*functions))
    try:
        yield
    finally:
        sys.settrace(None)


def run_together(worker: Callable[[int], None], threads: int) -> None:
    """Run `worker(0)` … `worker(threads - 1)` in threads released at the same moment."""
    start = threading.Barrier(threads)

    def run(index: int) -> None:
        start.wait()
        worker(index)

    started = [threading.Thread(target=run, args=(index,)) for index in range(threads)]
    for thread in started:
        thread.start()
    for thread in started:
        thread.join()
