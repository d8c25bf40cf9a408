"""Background threads at a lower CPU priority than the writer and the user interface.

A first sync keeps every core busy: the store's writer (the one thread that commits pages, the
sync's critical path), the thread decoding and folding the next page, the request thread, the
WAL checkpoints, the GUI. When they all want the CPU at once, the scheduler shared it equally:
on two cores the writer waited ~0.3 s per 10,000 dossiers for its turn, and the GUI thread
competed the same way. The threads whose work only has to be ready before the writer needs it
(decoding and folding the next page, fetching it, checkpointing) call
:func:`lower_current_thread` when they start: they still get every idle cycle, but give way
when the writer or the GUI is runnable.

Linux only: there the nice value is a per-thread attribute (``setpriority`` on the thread's
id, see ``man 2 setpriority``, "Bugs"); elsewhere it is per process, so this does nothing.
An unprivileged thread can raise its nice value but never lower it again: only threads that
do nothing else for their whole life call this.
"""

from __future__ import annotations

import os
import sys
import threading

__all__ = ["BACKGROUND_NICE", "PIPELINE_NICE", "lower_current_thread"]

#: The nice value of background threads (0 is normal, 19 the lowest priority). At 10 a thread
#: weighs about a tenth of a normal one when both want the same core.
BACKGROUND_NICE = 10
#: The nice value of the thread decoding and folding a snapshot's next page: a third of a
#: normal thread's weight. Once a page's documents were no longer rows of their own, that
#: thread became the longer stage of the pipeline (~0.53 CPU-s per 10,000 dossiers against
#: the writer's ~0.53): at nice 10 a first sync of 10,000 took 35 ms longer (paired median
#: of 15 interleaved runs; nice 0 was no faster than 5), while the GUI still goes first.
PIPELINE_NICE = 5


def lower_current_thread(nice: int = BACKGROUND_NICE) -> bool:
    """Give the calling thread (only it) the nice value ``nice`` if it is below that.
    True when the thread now runs at ``nice`` or lower priority; False where it cannot
    (another OS, or the call refused)."""
    if not sys.platform.startswith("linux"):
        return False
    tid = threading.get_native_id()
    try:
        if os.getpriority(os.PRIO_PROCESS, tid) < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        return os.getpriority(os.PRIO_PROCESS, tid) >= nice
    except OSError:  # a sandbox refusing it: run at the normal priority
        return False
