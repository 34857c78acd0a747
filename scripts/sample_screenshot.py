"""Draw the sample tip's screenshot (tips/secretariaat/automatische-antwoorden.png) with Pillow.

A made-up, simplified Outlook dialog, so that the sample site shows an image next to a tip without a real
screenshot of anyone's mailbox. Run it again after changing the drawing:

    .venv/bin/python scripts/sample_screenshot.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

TARGET = Path(__file__).resolve().parent.parent / "tips/secretariaat/automatische-antwoorden.png"
BLUE, INK, GREY, LINE, WHITE = (15, 108, 189), (36, 36, 36), (97, 97, 97), (200, 200, 200), (255, 255, 255)


def draw() -> Image.Image:
    image = Image.new("RGB", (640, 400), (243, 242, 241))
    pen = ImageDraw.Draw(image)
    font, bold = ImageFont.load_default(15), ImageFont.load_default(17)
    pen.rectangle((0, 0, 639, 36), fill=BLUE)
    pen.text((16, 9), "Automatische antwoorden", font=bold, fill=WHITE)
    pen.line((614, 12, 626, 24), fill=WHITE, width=2)  # the close button
    pen.line((614, 24, 626, 12), fill=WHITE, width=2)

    def radio(y: int, label: str, on: bool) -> None:
        pen.ellipse((20, y, 34, y + 14), outline=GREY, width=2, fill=WHITE)
        if on:
            pen.ellipse((24, y + 4, 30, y + 10), fill=BLUE)
        pen.text((44, y - 2), label, font=font, fill=INK)

    radio(52, "Geen automatische antwoorden verzenden", False)
    radio(80, "Automatische antwoorden verzenden", True)
    pen.rectangle((44, 110, 58, 124), fill=BLUE)
    pen.line((47, 117, 51, 121, 56, 112), fill=WHITE, width=2)
    pen.text((66, 108), "Alleen in dit tijdsbestek:", font=font, fill=INK)
    for y, label, value in ((138, "Begintijd:", "ma 22-12-2026   08:00"), (170, "Eindtijd:", "vr 02-01-2027   17:00")):
        pen.text((66, y + 4), label, font=font, fill=INK)
        pen.rectangle((160, y, 380, y + 26), outline=LINE, fill=WHITE)
        pen.text((168, y + 4), value, font=font, fill=INK)
    pen.text((20, 212), "Binnen mijn organisatie", font=font, fill=BLUE)
    pen.line((20, 234, 190, 234), fill=BLUE, width=3)
    pen.text((214, 212), "Buiten mijn organisatie (aan)", font=font, fill=GREY)
    pen.rectangle((20, 240, 620, 340), outline=LINE, fill=WHITE)
    text = ("Dag, ik ben afwezig tot en met 2 januari.", "Voor dringende vragen: secretariaat@gemeente.be.")
    for line, words in enumerate(text):
        pen.text((30, 250 + 22 * line), words, font=font, fill=INK)
    for x, label in ((430, "OK"), (530, "Annuleren")):
        pen.rectangle((x, 356, x + 90, 384), outline=BLUE if label == "OK" else LINE, fill=WHITE)
        pen.text((x + 45, 370), label, font=font, fill=INK, anchor="mm")
    return image.quantize(32)  # a handful of colours, as in a real dialog: a few KB as PNG


if __name__ == "__main__":
    draw().save(TARGET, optimize=True)
    print(f"{TARGET}: {TARGET.stat().st_size} bytes")
