"""Line and column numbers of offsets in a text, in logarithmic time each.

Counting the line breaks before every offset anew costs the length of the text per offset:
quadratic over a file with a match on every line. The index is built once, in one pass.
"""

from __future__ import annotations

import bisect
import re


class LineIndex:
    """``LineIndex(text).position(offset)`` → (line, column), both 1-based, as editors count."""

    def __init__(self, text: str):
        # Where each line starts: 0, then one past every "\n".
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        line = self.line(offset)
        return line, offset - self.starts[line - 1] + 1
