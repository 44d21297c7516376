"""Draw the favicon on a canvas in the overall state's colour, with a shape per state."""

from __future__ import annotations

import math

import js

COLOURS = {
    "operational": "#1f8a4c",
    "degraded": "#b86e00",
    "outage": "#c62828",
    "unknown": "#6b7280",
    "stale": "#6b7280",
}


def _draw_glyph(ctx, state: str) -> None:
    ctx.strokeStyle = "#ffffff"
    ctx.fillStyle = "#ffffff"
    ctx.lineWidth = 7
    ctx.lineCap = "round"
    ctx.beginPath()
    if state == "operational":  # check mark
        ctx.moveTo(18, 33)
        ctx.lineTo(28, 43)
        ctx.lineTo(46, 22)
    elif state == "degraded":  # exclamation mark
        ctx.moveTo(32, 16)
        ctx.lineTo(32, 36)
        ctx.moveTo(32, 47)
        ctx.lineTo(32, 48)
    elif state == "outage":  # cross
        ctx.moveTo(21, 21)
        ctx.lineTo(43, 43)
        ctx.moveTo(43, 21)
        ctx.lineTo(21, 43)
    else:  # unknown or stale: a bar
        ctx.moveTo(20, 32)
        ctx.lineTo(44, 32)
    ctx.stroke()


class Favicon:
    def __init__(self) -> None:
        self.canvas = js.document.createElement("canvas")
        self.canvas.width = self.canvas.height = 64
        self.state: str | None = None

    def show(self, state: str) -> None:
        if state == self.state:
            return
        self.state = state
        ctx = self.canvas.getContext("2d")
        ctx.clearRect(0, 0, 64, 64)
        ctx.fillStyle = COLOURS.get(state, COLOURS["unknown"])
        ctx.beginPath()
        ctx.arc(32, 32, 30, 0, 2 * math.pi)
        ctx.fill()
        _draw_glyph(ctx, state)
        link = js.document.getElementById("favicon")
        link.type = "image/png"
        link.href = self.canvas.toDataURL("image/png")
        link.setAttribute("data-state", state)
