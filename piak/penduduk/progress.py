"""A plain progress bar for the command line: drawn in place on a terminal, one line per step otherwise."""

import sys
import time
from typing import TextIO


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream: TextIO | None = None, *, force: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.enabled = force or self.stream.isatty()
        self.in_place = self.stream.isatty()
        self.started = time.monotonic()
        self.last_shown = -1

    def __call__(self, fraction: float, label: str) -> None:
        if not self.enabled:
            return
        percent = int(fraction * 100)
        if percent == self.last_shown:
            return
        self.last_shown = percent
        filled = int(fraction * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = f"[{bar}] {percent:3d}% {label} ({time.monotonic() - self.started:.0f} dtk)"
        if self.in_place:
            self.stream.write("\r" + line.ljust(70))
            if percent >= 100:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
