#!/usr/bin/env python3
"""Composes the demo's picture: panels side by side, each with a label and a caption.

Usage: demo_picture.py OUT.png TITLE --panel IMAGE LABEL CAPTION NOTE COLOUR [--panel ...]
                       [--mark-tears N]

--mark-tears N marks, on panel N (from 1), the rows where the frame's stamp (the strip at the
left of every row of the moving pattern, one colour per frame) changes colour: the tears.
Needs python3-pil and fonts-dejavu-core (scripts/deps.sh installs both).
"""
import argparse
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
PANEL_WIDTH = 640
MARGIN = 24
BACKGROUND = (24, 24, 28)
TEXT = (235, 235, 235)
DIM = (170, 170, 175)
STAMP_COLUMN = 4  # inside the moving pattern's stamp strip


def font(size, bold=False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(FONT_DIR + name, size)
    except OSError:
        print(f"demo_picture: no {FONT_DIR + name} (fonts-dejavu-core); using a bitmap font",
              file=sys.stderr)
        return ImageFont.load_default()


def tear_rows(image):
    """Rows where the stamp strip changes colour: each is the first row of another frame."""
    px = image.load()
    rows = []
    for y in range(1, image.height):
        if px[STAMP_COLUMN, y] != px[STAMP_COLUMN, y - 1]:
            rows.append(y)
    return rows


def text_height(draw, text, fnt):
    box = draw.textbbox((0, 0), text, font=fnt)
    return box[3] - box[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("title")
    parser.add_argument("--panel", nargs=5, action="append", required=True,
                        metavar=("IMAGE", "LABEL", "CAPTION", "NOTE", "COLOUR"))
    parser.add_argument("--mark-tears", type=int, default=0, metavar="N")
    args = parser.parse_args()

    width = MARGIN + len(args.panel) * (PANEL_WIDTH + MARGIN)
    probe = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    size = 30
    title_font = font(size, bold=True)
    while size > 12 and probe.textlength(args.title, font=title_font) > width - 2 * MARGIN:
        size -= 2
        title_font = font(size, bold=True)
    label_font, caption_font, note_font = font(26, bold=True), font(22, bold=True), font(17)
    title_h = text_height(probe, "Hg", title_font)
    label_h = text_height(probe, "Hg", label_font)
    caption_h = text_height(probe, "Hg", caption_font)
    note_h = text_height(probe, "Hg", note_font)

    panels = []
    for i, (path, label, caption, note, colour) in enumerate(args.panel, start=1):
        shot = Image.open(path).convert("RGB")
        tears = tear_rows(shot) if i == args.mark_tears else []
        scale = PANEL_WIDTH / shot.width
        shot = shot.resize((PANEL_WIDTH, round(shot.height * scale)), Image.LANCZOS)
        panels.append((shot, label, caption, note, colour, [round(y * scale) for y in tears]))

    shot_h = max(p[0].height for p in panels)
    top = MARGIN + title_h + MARGIN
    height = top + label_h + 12 + shot_h + 14 + caption_h + 8 + note_h + MARGIN
    picture = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(picture)
    draw.text((MARGIN, MARGIN), args.title, font=title_font, fill=TEXT)

    for i, (shot, label, caption, note, colour, tears) in enumerate(panels):
        x = MARGIN + i * (PANEL_WIDTH + MARGIN)
        draw.text((x, top), label, font=label_font, fill=colour)
        y = top + label_h + 12
        picture.paste(shot, (x, y))
        draw.rectangle((x - 3, y - 3, x + shot.width + 2, y + shot.height + 2), outline=colour,
                       width=3)
        for n, row in enumerate(tears):
            # An arrow from the left margin and a line across: where two frames meet.
            ty = y + row
            draw.line((x, ty, x + shot.width - 1, ty), fill=colour, width=2)
            draw.polygon(((x - 3, ty), (x - 16, ty - 8), (x - 16, ty + 8)), fill=colour)
            if n == 0:
                draw.text((x + shot.width - 110, max(ty - 24, y + 2)), "torn here",
                          font=note_font, fill=colour)
        y += shot.height + 14
        draw.text((x, y), caption, font=caption_font, fill=TEXT)
        draw.text((x, y + caption_h + 8), note, font=note_font, fill=DIM)

    picture.save(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
