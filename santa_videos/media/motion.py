"""How Santa moves in the template loops, and where a point of his picture is on screen at any moment: the loops
are rendered from these motions, and whatever is laid on his face later (his mouth, his eyes) follows them.

Each motion is three waves (turn, side to side, up and down) whose periods divide the loop's length, so any loop
can follow any other and the motion at time t of a chain of loops is the motion of the loop playing then, at t.
"""

import math
from dataclasses import dataclass

from santa_videos.media.scene import SANTA_ORIGIN, SANTA_SIZE

LOOP_SECONDS = 4


@dataclass(frozen=True)
class Wave:
    amplitude: float
    period: float

    def expr(self) -> str:
        return f"{self.amplitude}*sin(2*PI*t/{self.period})"

    def at(self, t: float) -> float:
        return self.amplitude * math.sin(2 * math.pi * t / self.period)


@dataclass(frozen=True)
class Motion:
    turn: Wave  # radians, clockwise (as FFmpeg's rotate filter turns)
    side: Wave  # pixels
    bob: Wave  # pixels

    def offset_exprs(self, point: tuple[float, float]) -> tuple[str, str, str]:
        """FFmpeg expressions (of t) for the turn and for where `point` of Santa's picture is on screen."""
        cx, cy = SANTA_SIZE[0] / 2, SANTA_SIZE[1] / 2
        dx, dy = point[0] - cx, point[1] - cy
        turn = self.turn.expr()
        # The loops put Santa at whole even pixels (overlay rounds so for 4:2:0 video); so does this.
        left = f"2*floor(({SANTA_ORIGIN[0]}+{self.side.expr()})/2)"
        top = f"2*floor(({SANTA_ORIGIN[1]}+{self.bob.expr()})/2)"
        x = f"{left}+{cx}+{dx}*cos({turn})-{dy}*sin({turn})"
        y = f"{top}+{cy}+{dx}*sin({turn})+{dy}*cos({turn})"
        return turn, x, y

    def point_at(self, point: tuple[float, float], t: float) -> tuple[float, float]:
        cx, cy = SANTA_SIZE[0] / 2, SANTA_SIZE[1] / 2
        dx, dy, turn = point[0] - cx, point[1] - cy, self.turn.at(t)
        left = 2 * math.floor((SANTA_ORIGIN[0] + self.side.at(t)) / 2)
        top = 2 * math.floor((SANTA_ORIGIN[1] + self.bob.at(t)) / 2)
        return (left + cx + dx * math.cos(turn) - dy * math.sin(turn),
                top + cy + dx * math.sin(turn) + dy * math.cos(turn))


MOTIONS = {
    "sway": Motion(turn=Wave(0.035, 2), side=Wave(14, 4), bob=Wave(6, 1)),
    "nod": Motion(turn=Wave(0.015, 4), side=Wave(0, 4), bob=Wave(12, 0.8)),
    "lean": Motion(turn=Wave(0.05, 4), side=Wave(30, 4), bob=Wave(4, 2)),
}
LOOP_NAMES = list(MOTIONS)


def chain_motion(first: int, t: float) -> Motion:
    """The motion playing at `t` in a chain of loops that starts with loop number `first`."""
    return MOTIONS[LOOP_NAMES[(first + int(t // LOOP_SECONDS)) % len(LOOP_NAMES)]]


def chain_exprs(first: int, point: tuple[float, float]) -> tuple[str, str, str]:
    """(turn, x, y) expressions of t for `point` of Santa's picture in a chain of loops starting at `first`."""
    playing = f"mod(floor(t/{LOOP_SECONDS})+{first},{len(LOOP_NAMES)})"
    per_loop = [MOTIONS[name].offset_exprs(point) for name in LOOP_NAMES]

    def pick(part: int) -> str:
        expr = per_loop[-1][part]
        for number in range(len(per_loop) - 2, -1, -1):
            expr = f"if(eq({playing},{number}),{per_loop[number][part]},{expr})"
        return expr

    return pick(0), pick(1), pick(2)
