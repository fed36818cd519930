"""Reading built PDFs back, as a reader's tools would: pypdf and poppler."""

from __future__ import annotations

import html
import io
import itertools
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

PT_PER_MM = 72 / 25.4


def norm(text: str) -> str:
    """Fold the narrow and no-break spaces Babel uses, soft hyphens, and the
    no-break hyphens diglot.typography puts in "1993‑cü"."""
    text = text.replace("\u202f", " ").replace("\u00a0", " ").replace("\u00ad", "")
    text = text.replace("\u2011", "-")
    return re.sub(r"[ \t]+", " ", text)


def text(path: Path, first: int = 1, layout: bool = False) -> str:
    """Text of the PDF from page ``first`` on, with words hyphenated at line
    ends joined again. With ``layout``, as pdftotext -layout reads it: a
    line's words in the order they stand across it (a record's place in its
    column, then the words beside it, where plain reading may give the
    column of places apart)."""
    mode = ["-layout"] if layout else []
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *mode, "-f", str(first), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    # (-layout starts a line with the spaces that set it in)
    out = re.sub(r"[\u2010-]\n\s*(?=\w)" if layout else r"[\u2010-]\n(?=\w)", "", out)
    return norm(out.replace("\n", " "))


def _page_out(path: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def page_text(path: Path, page: int) -> str:
    out = _page_out(path, page)
    return norm(re.sub(r"[\u2010-]\n(?=\w)", "", out).replace("\n", " "))


def page_lines(path: Path, page: int) -> list[str]:
    """The non-blank lines of a 1-based page, as pdftotext prints them."""
    return [line for line in _page_out(path, page).splitlines() if line.strip()]


def words(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, word) on a 1-based page, in points from the
    top-left corner, as poppler's ``pdftotext -bbox`` reads them."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        out,
    )
    return [(float(a), float(b), float(c), float(d), html.unescape(w)) for a, b, c, d, w in found]


def destination_tops(path: Path) -> dict[str, tuple[int, float]]:
    """Each named destination's 1-based page and its top, in points from the
    top of the page (WeasyPrint gives every element id one)."""
    reader = PdfReader(path)
    found = {}
    for name, dest in reader.named_destinations.items():
        index = reader.get_destination_page_number(dest)
        height = float(reader.pages[index].mediabox.height)
        found[name] = (index + 1, height - float(dest.top))
    return found


def fonts(path: Path) -> list[dict[str, str]]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object-id gen
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def destinations(path: Path) -> dict[str, int]:
    reader = PdfReader(path)
    return {
        name: reader.get_destination_page_number(dest)
        for name, dest in reader.named_destinations.items()
    }


def page_size_mm(path: Path, index: int = 0) -> tuple[float, float]:
    box = PdfReader(path).pages[index].mediabox
    return round(float(box.width) / PT_PER_MM, 1), round(float(box.height) / PT_PER_MM, 1)


# Poppler's word box is the font's ascent plus descent: 1.362 em in Noto
# Serif (1069 + 293 units of 1000).
BOX_EM = 1.362


Box = tuple[float, float, float, float, str]


def rows(path: Path, page: int, split_em: float | None = None) -> list[list[Box]]:
    """The lines of text on a 1-based page as lists of word boxes (xMin,
    yMin, xMax, yMax) in reading order, top to bottom; with ``split_em`` a
    gap wider than that many ems starts another line (the next column)."""
    boxes = sorted(words(path, page), key=lambda w: (round(w[1]), w[0]))
    out: list[list[Box]] = []
    for x0, y0, x1, y1, word in boxes:
        row = out[-1] if out else None
        same = row is not None and abs(row[-1][1] - y0) < 1.0
        if same and split_em is not None and row is not None:
            em = (y1 - y0) / BOX_EM
            # a word left of the row's last starts another column's line
            # at nearly the same height (the words are sorted by rounded height)
            same = -1.0 <= x0 - row[-1][2] <= split_em * em
        if same and row is not None:
            row.append((x0, y0, x1, y1, word))
        else:
            out.append([(x0, y0, x1, y1, word)])
    return out


def lines_of(boxes: list[Box]) -> list[list[Box]]:
    """Word boxes grouped into lines as :func:`rows` groups a page's, top to
    bottom, each line's words left to right (a word in another face may
    stand a little higher than its neighbours)."""
    out: list[list[Box]] = []
    for box in sorted(boxes, key=lambda w: (round(w[1]), w[0])):
        if out and abs(out[-1][-1][1] - box[1]) < 1.0:
            out[-1].append(box)
        else:
            out.append([box])
    return [sorted(line) for line in out]


def beside_extract(inset: list[bool], at: int) -> bool:
    """Whether the white between lines ``at`` and ``at + 1`` of a page
    (``inset``: each line set in from the text's left edge) stands before or
    after an extract: two lines set in under it, or two above it (a
    paragraph's first line alone is set in by its indent)."""
    below = at + 2 < len(inset) and inset[at + 1] and inset[at + 2]
    return below or (at > 0 and inset[at] and inset[at - 1])


def column_holes(path: Path, page: int, min_pt: float = 9.0) -> list[tuple[int, float, str]]:
    """The white between two consecutive lines of body text (``min_pt`` or
    more; notes are smaller) in each column of a side-by-side page, in lines
    of that text: (column 0 or 1, lines of white, the words above it). The
    columns are split at the middle of the text block."""
    body = [w for w in words(path, page) if (w[3] - w[1]) / BOX_EM >= min_pt]
    if not body:
        return []
    middle = (min(w[0] for w in body) + max(w[2] for w in body)) / 2
    out = []
    for column in (0, 1):
        side = [w for w in body if (w[0] < middle) == (column == 0)]
        lines: dict[float, list[Box]] = {}
        for w in sorted(side, key=lambda w: w[1]):
            key = next((k for k in lines if abs(k - w[1]) < 1.0), w[1])
            lines.setdefault(key, []).append(w)
        tops = sorted(lines)
        for above, below in itertools.pairwise(tops):
            height = max(w[3] - w[1] for w in lines[above])
            pitch = height / BOX_EM * 1.4
            white = below - above - pitch
            out.append((column, white / pitch, " ".join(w[4] for w in lines[above])))
    return out


def column_tops(path: Path, page: int, min_pt: float = 9.0) -> list[float]:
    """Where the first line of body text (``min_pt`` or more) of each column
    of a side-by-side page starts, in lines of that text from the top of
    the page's text; a column with no body text is left out."""
    body = [w for w in words(path, page) if (w[3] - w[1]) / BOX_EM >= min_pt]
    if not body:
        return []
    middle = (min(w[0] for w in body) + max(w[2] for w in body)) / 2
    top = min(w[1] for w in body)
    pitch = max(w[3] - w[1] for w in body) / BOX_EM * 1.4
    columns = ([w for w in body if (w[0] < middle) == (c == 0)] for c in (0, 1))
    return [(min(w[1] for w in side) - top) / pitch for side in columns if side]


def ink_lines(path: Path, page: int, line_pt: float = 9.5 * 1.4) -> float:
    """How many lines of body text (``line_pt`` high) the ink of a 1-based
    page covers between its head and foot margins, as a reader sees it: the
    page rendered by poppler, its rows with any dark pixel counted. A
    drawing counts as well as text (a picture is not near-empty white)."""
    from PIL import Image

    dpi = 36
    pgm = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)],
        check=True,
        capture_output=True,
    ).stdout
    image = Image.open(io.BytesIO(pgm))
    width, height = image.size
    px_per_mm = dpi / 25.4
    top, bottom = round(15 * px_per_mm), round(height - 20 * px_per_mm)
    pixels = image.load()
    inked = sum(1 for y in range(top, bottom) if any(pixels[x, y] < 160 for x in range(width)))
    return inked * 72 / dpi / line_pt
