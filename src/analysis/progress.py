"""How a build tells the person running it what it is doing.

On a terminal, each stage (years read, tables written, reports run) has a progress bar
with the year it is on and the time left; in a log or CI (not a terminal) the same steps
are plain lines, one per step, that read well in a file. The build takes either, or any
function of one line (tests collect the lines).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Advance = Callable[[str], None]


class Lines:
    """One line per step: the build's messages as they are, and no bar."""

    def __init__(self, say: Callable[[str], None] = print):
        self.say = say

    def __call__(self, message: str) -> None:
        self.say(message)

    @contextmanager
    def stage(self, label: str, total: int) -> Iterator[Advance]:
        """A stage of `total` steps; the function it gives is called with each step's name."""
        yield lambda step: None


class Bars(Lines):
    """A tqdm bar per stage on stderr; lines are written above the bar, not through it."""

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream or sys.stderr

    def __call__(self, message: str) -> None:
        from tqdm import tqdm

        tqdm.write(message, file=sys.stdout)

    @contextmanager
    def stage(self, label: str, total: int) -> Iterator[Advance]:
        from tqdm import tqdm

        if total <= 0:
            yield lambda step: None
            return
        # tqdm puts ", " before the postfix: "reports run: 1/2 ███ [00:15, 00:15 left, 2003 done]"
        form = "{desc}: {n_fmt}/{total_fmt} {bar} [{elapsed}, {remaining} left{postfix}]"
        with tqdm(
            total=total, desc=label, file=self.stream, bar_format=form, dynamic_ncols=True, leave=True
        ) as bar:

            def advance(step: str) -> None:
                bar.set_postfix_str(f"{step} done", refresh=False)
                bar.update(1)

            yield advance


def reporter(progress: Callable[[str], None]) -> Lines:
    """The build's messages as a reporter: itself when it is one, else lines through it."""
    return progress if isinstance(progress, Lines) else Lines(progress)


def for_terminal(stream=None) -> Lines:
    """Bars when `stream` (stderr) is a terminal, plain lines on stdout otherwise."""
    stream = stream or sys.stderr
    if stream.isatty():
        return Bars(stream)
    return Lines(lambda message: print(message, flush=True))
