"""WCAG 2 contrast between two colours as the code writes them ('#1F4E79', 'white') or as Chromium
computes them ('rgb(31, 78, 121)', 'rgba(0, 0, 0, 0)'): the relative luminance of each, (L1 + 0.05) /
(L2 + 0.05). AA asks 4.5:1 for text, 3:1 for large text, lines, marks and focus indicators."""
from __future__ import annotations

import re

NAMED = {"white": (255, 255, 255), "black": (0, 0, 0)}


def rgb(colour: str) -> tuple[int, int, int]:
    text = colour.strip().lower()
    if text in NAMED:
        return NAMED[text]
    if text.startswith("#"):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return tuple(int(digits[i:i + 2], 16) for i in (0, 2, 4))
    numbers = re.findall(r"[\d.]+", text)
    return tuple(round(float(n)) for n in numbers[:3])


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
