"""``diglot proof``: a typographic preflight read from WeasyPrint's own layout.

After ``render()`` every page of a WeasyPrint document holds its box tree:
line boxes with the text boxes they contain, their positions and, for a
justified line, the extra space WeasyPrint added to each word space
(``justification_spacing``). This module reads those lines back and reports
what a typographer would mark on a proof:

====================  =========  ==================================================
code                  severity   what
====================  =========  ==================================================
``loose-lines``       warning    justified lines whose mean word space is over 0.5 em
``hyphen-ladder``     error      more than 2 hyphenated line ends in a row
``near-empty-page``   error      a text page with fewer than 6 lines
``stranded-heading``  error      a heading as the last line of a page
``overfull-line``     error      a line wider than its column
``orphan``            warning    a paragraph's first line alone at a page foot
``widow``             warning    a paragraph's last line alone at a page head
``broken-word``       warning    a word hyphenated across a page turn
``bad-hyphen``        error      an English line-end hyphen that is no en_US break
``hole``              error      white space of 6 lines or more inside a column
====================  =========  ==================================================

Cover, colophon, contents and blank pages are not text pages. The figures
are computed from the laid-out boxes, not from the PDF, so they are the
layout's own and need no text extraction heuristics; the tests check them
independently against the PDF (poppler word boxes).
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from diglot import weasy

LOOSE_EM = 0.5  # mean word space of a justified line, in em (about TeX's tolerance)
# Letter-spacing a reader sees beside a line without it: two typographers
# read a word 7-9 % wider on one line than on the next (0.035 em) as the
# page's grey changing line by line. Counted, not a problem: the booklets'
# page-filling steps still take it (docs/typography.md).
TRACKED_EM = 0.02
MAX_LADDER = 2  # hyphenated line ends in a row
MIN_LINES = 6  # lines on a text page
HOLE_LINES = 6  # lines of white space inside a column that make a hole
SPACE_EM = 0.26  # advance of U+0020 assumed in a face diglot does not ship (Noto Sans's)
FRONT_CLASSES = frozenset({"cover", "colophon", "contents"})
HYPHENS = ("\u2010", "-", "\u00ad")
ERRORS = frozenset(
    {"hyphen-ladder", "near-empty-page", "stranded-heading", "overfull-line", "bad-hyphen", "hole"}
)


@dataclass(frozen=True)
class Line:
    """One laid-out line, in CSS px (96 per inch) from the page's top left."""

    page: int  # 1-based
    x: float
    y: float
    width: float
    height: float
    text: str
    block: int  # identity of the paragraph or heading element it belongs to
    lang: str
    heading: bool
    front: bool  # on the cover, colophon or contents
    justified: bool  # stretched to the column width
    space_em: float | None  # mean word space of a justified line
    overflow: float  # px beyond the column's right edge
    last: bool  # the last line of its block on this page
    area: str = "body"  # or "margin" (running heads, folios), "footnote"
    track_em: float = 0.0  # letter-spacing of a justified line (em), its widest
    # a numbered heading's (diglot.headings): its number, font size (px),
    # family and weight; -1 and nothing for any other line
    mark: int = -1
    size: float = 0.0
    family: str = ""
    weight: int = 0

    @property
    def hyphenated(self) -> bool:
        text = self.text.rstrip()
        return len(text) > 1 and text.endswith(HYPHENS) and text[-2].isalpha()

    @property
    def box(self) -> tuple[float, float, float, float]:
        return (round(self.x, 1), round(self.y, 1), round(self.width, 1), round(self.height, 1))


@dataclass(frozen=True)
class Finding:
    page: int
    code: str
    message: str
    boxes: tuple[tuple[float, float, float, float], ...] = ()

    @property
    def severity(self) -> str:
        return "error" if self.code in ERRORS else "warning"


@dataclass(frozen=True)
class Report:
    """The proof of one laid-out document."""

    pages: int
    lines: int
    justified: int
    loose: int
    worst_space_em: float
    longest_ladder: int
    hyphenated: int
    findings: tuple[Finding, ...] = field(default=())
    tracked: int = 0  # justified lines letter-spaced over TRACKED_EM

    @property
    def loose_share(self) -> float:
        return self.loose / self.justified if self.justified else 0.0

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for finding in self.findings:
            out[finding.code] = out.get(finding.code, 0) + 1
        return out

    def problems(self) -> int:
        """Findings other than loose lines (those are counted by their share)."""
        return sum(1 for f in self.findings if f.code != "loose-lines")

    def summary(self) -> str:
        return (
            f"{self.pages} pages, {self.lines} lines, {self.justified} justified "
            f"({self.loose_share:.1%} loose, worst {self.worst_space_em:.2f} em"
            + (f", {self.tracked} letter-spaced over {TRACKED_EM} em" if self.tracked else "")
            + "), "
            f"longest hyphen run {self.longest_ladder}, {self.problems()} problem(s)"
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["loose_share"] = round(self.loose_share, 4)
        data["findings"] = [{**asdict(f), "severity": f.severity} for f in self.findings]
        return data


# -- reading the box tree --------------------------------------------------------------


def _right_edge(box: Any) -> float:
    edges = [t.position_x + t.width for t in weasy.text_boxes(box)]
    return max(edges) if edges else float(box.position_x)


def lines_of(document: Any) -> list[Line]:
    """Every line of every page, in reading order of the box tree."""
    found: list[Line] = []
    for number, page in enumerate(document.pages, start=1):
        _walk(weasy.page_box(page), number, (), found)
    return found


def _walk(
    box: Any, page: int, classes: tuple[str, ...], out: list[Line], area: str = "body"
) -> None:
    element = getattr(box, "element", None)
    area = weasy.area_of(box) or area
    if element is not None and hasattr(element, "get") and weasy.is_block(box):
        classes = classes + tuple((element.get("class") or "").split())
    lines = weasy.line_boxes(box)
    for index, line in enumerate(lines):
        line_info = _line(box, line, page, classes, index == len(lines) - 1)
        if line_info is not None:
            out.append(replace(line_info, area=area) if area != "body" else line_info)
    for child in getattr(box, "children", ()):
        if not weasy.is_line(child):
            _walk(child, page, classes, out, area)


def images_of(document: Any) -> dict[int, list[tuple[float, float]]]:
    """The vertical extent (top, bottom, px) of every picture on each page."""
    found: dict[int, list[tuple[float, float]]] = {}

    def walk(box: Any, page: int) -> None:
        if weasy.is_replaced(box):
            top = float(box.position_y)
            found.setdefault(page, []).append((top, top + float(box.margin_height())))
        for child in getattr(box, "children", ()):
            walk(child, page)

    for number, page in enumerate(document.pages, start=1):
        walk(weasy.page_box(page), number)
    return found


def _line(block: Any, line: Any, page: int, classes: tuple[str, ...], last: bool) -> Line | None:
    texts = list(weasy.text_boxes(line))
    text = "".join(t.text for t in texts)
    if not text.strip():
        return None
    style = block.style
    tag = getattr(block, "element_tag", "") or ""
    spacing = max((t.justification_spacing for t in texts), default=0.0)
    spaces = sum(t.text.strip().count(" ") + t.text.count("\u00a0") for t in texts)
    justified = spacing > 0.01 and spaces > 0
    space_em = None
    track_em = 0.0
    if justified:
        track_em = max(_px(t.style["letter_spacing"]) / float(t.style["font_size"]) for t in texts)
        # The gap between two words: the space's advance, word-spacing, the
        # justification, and letter-spacing after the word and the space.
        spaced = next((t for t in texts if " " in t.text or "\u00a0" in t.text), texts[0])
        size = float(spaced.style["font_size"])
        space_em = (
            _space_em(spaced.style) * size
            + _px(spaced.style["word_spacing"])
            + 2 * _px(spaced.style["letter_spacing"])
            + spacing
        ) / size
    column = float(block.width)
    overflow = _right_edge(line) - (float(block.content_box_x()) + column)
    if style["overflow"] == "hidden":
        # clipped at its box, as a running head cut with an ellipsis is
        # (side by side, at its column's width): nothing prints beyond it
        overflow = 0.0
    found = Line(
        page=page,
        x=float(block.content_box_x()),
        y=float(line.position_y),
        width=column,
        height=float(line.height),
        text=text,
        block=id(block.element) if block.element is not None else id(block),
        lang=str(style["lang"] or ""),
        heading=bool(re.fullmatch(r"h[1-6]", tag)),
        front=bool(FRONT_CLASSES.intersection(classes)),
        justified=justified,
        space_em=space_em,
        overflow=overflow,
        last=last,
        track_em=track_em,
    )
    mark = block.element.get("data-hb") if block.element is not None else None
    if mark is None or not mark.isdigit():
        return found
    weight = style["font_weight"]
    return replace(
        found,
        mark=int(mark),
        size=float(style["font_size"]),
        family=str(style["font_family"][0]),
        weight=weight if isinstance(weight, int) else 400,
    )


@cache
def _space_advance(family: str, italic: bool, bold: bool) -> float:
    """U+0020's advance (em) in ``family`` as printed: Noto Serif's at its
    text width or, for "Noto Serif hz+0.6pct" and the like, that width's."""
    from diglot import fonts, linebreak

    name, wdth = fonts.family_width(family)
    if name not in fonts.FAMILIES:
        return SPACE_EM
    widths, _ = linebreak._glyph_widths(name, italic, bold, wdth)
    return widths.get(32, SPACE_EM)


def _space_em(style: Any) -> float:
    families = style["font_family"] or ("",)
    bold = int(style["font_weight"]) >= 600 if str(style["font_weight"]).isdigit() else False
    return _space_advance(str(families[0]), style["font_style"] == "italic", bold)


def _px(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) else 0.0


# -- the checks ------------------------------------------------------------------------


def proof(document: Any) -> Report:
    """Proof a WeasyPrint document laid out by ``render()``."""
    return report_of(lines_of(document), len(document.pages), images_of(document))


def report_of(
    lines: Sequence[Line],
    pages: int,
    images: dict[int, list[tuple[float, float]]] | None = None,
) -> Report:
    """The proof of ``pages`` pages holding ``lines`` (and pictures at
    ``images``: page -> their top and bottom, px)."""
    findings: list[Finding] = []
    findings += _loose(lines)
    ladder_findings, longest = _ladders(lines)
    findings += ladder_findings
    findings += _pages(lines, pages, images or {})
    findings += _overfull(lines)
    findings += _splits(lines, pages)
    findings += _bad_hyphens(lines)
    findings += _holes(lines, images or {})
    justified = [ln for ln in lines if ln.justified and not ln.front]
    loose = [ln for ln in justified if (ln.space_em or 0) > LOOSE_EM]
    findings.sort(key=lambda f: (f.page, f.code))
    return Report(
        pages=pages,
        lines=sum(1 for ln in lines if not ln.front),
        justified=len(justified),
        loose=len(loose),
        worst_space_em=round(max((ln.space_em or 0 for ln in justified), default=0.0), 2),
        longest_ladder=longest,
        hyphenated=sum(1 for ln in lines if ln.hyphenated and not ln.front),
        findings=tuple(findings),
        tracked=sum(1 for ln in justified if ln.track_em > TRACKED_EM),
    )


def by_page(lines: Sequence[Line]) -> dict[int, list[Line]]:
    """``lines`` by page number, each page's in their order."""
    out: dict[int, list[Line]] = {}
    for line in lines:
        out.setdefault(line.page, []).append(line)
    return out


def _loose(lines: Sequence[Line]) -> list[Finding]:
    out = []
    for page, on_page in sorted(by_page(lines).items()):
        justified = [ln for ln in on_page if ln.justified and not ln.front]
        loose = [ln for ln in justified if (ln.space_em or 0) > LOOSE_EM]
        if loose:
            worst = max(ln.space_em or 0 for ln in loose)
            out.append(
                Finding(
                    page,
                    "loose-lines",
                    f"{len(loose)} of {len(justified)} justified lines have word spaces over "
                    f"{LOOSE_EM} em (worst {worst:.2f} em: {_quote(max(loose, key=_space))})",
                    tuple(ln.box for ln in loose),
                )
            )
    return out


def _space(line: Line) -> float:
    return line.space_em or 0.0


def _quote(line: Line, limit: int = 40) -> str:
    text = " ".join(line.text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _ladders(lines: Sequence[Line]) -> tuple[list[Finding], int]:
    """Runs of hyphenated line ends within one block (across pages too)."""
    out: list[Finding] = []
    longest = 0
    run: list[Line] = []

    def close() -> None:
        nonlocal longest
        longest = max(longest, len(run))
        if len(run) > MAX_LADDER:
            ends = ", ".join(_end_word(ln) for ln in run)
            out.append(
                Finding(
                    run[MAX_LADDER].page,
                    "hyphen-ladder",
                    f"{len(run)} hyphenated line ends in a row: {ends}",
                    tuple(ln.box for ln in run),
                )
            )

    previous: Line | None = None
    for line in lines:
        if line.front:
            continue
        if previous is not None and previous.block != line.block:
            close()
            run = []
        if line.hyphenated:
            run.append(line)
        else:
            close()
            run = []
        previous = line
    close()
    return out, longest


def _end_word(line: Line) -> str:
    words = line.text.split()
    return words[-1] if words else ""


def picture_lines(pictures: Sequence[tuple[float, float]], line: float) -> int:
    """How many lines of text the pictures of a page stand in for: the height
    they cover (two side by side count once), in lines of height ``line``."""
    covered, reach = 0.0, float("-inf")
    for top, bottom in sorted(pictures):
        covered += max(0.0, bottom - max(top, reach))
        reach = max(reach, bottom)
    return int(covered // line)


def _pages(
    lines: Sequence[Line], count: int, images: dict[int, list[tuple[float, float]]]
) -> list[Finding]:
    """Near-empty pages (a picture counts as the lines it stands in for: a
    page with a picture and two lines under it is a page, not a leftover),
    and pages ending with a heading."""
    out = []
    pages = by_page(lines)
    for page in range(1, count + 1):
        on_page = pages.get(page, [])
        if not on_page or any(ln.front for ln in on_page):
            continue  # a blank page, or front matter
        # the running head and the folio are no lines of text (they made
        # genocide-az's p. 7, five lines of the record, count as seven)
        rows = len({round(ln.y) for ln in on_page if ln.area != "margin"})
        body = sorted(ln.height for ln in on_page if ln.area == "body") or [1.0]
        rows += picture_lines(images.get(page, []), body[len(body) // 2])
        if rows < MIN_LINES:
            out.append(
                Finding(
                    page,
                    "near-empty-page",
                    f"only {rows} line(s) of text on the page (at least {MIN_LINES} expected)",
                    tuple(ln.box for ln in on_page),
                )
            )
        if page < count:
            bottom = max(ln.y for ln in on_page)
            last_row = [ln for ln in on_page if abs(ln.y - bottom) < 1]
            if all(ln.heading for ln in last_row):
                out.append(
                    Finding(
                        page,
                        "stranded-heading",
                        f"heading {_quote(last_row[0])} is the last line of the page",
                        tuple(ln.box for ln in last_row),
                    )
                )
    return out


def _overfull(lines: Sequence[Line]) -> list[Finding]:
    return [
        Finding(
            ln.page,
            "overfull-line",
            f"line runs {ln.overflow * 0.75:.1f} pt into the margin: {_quote(ln)}",
            (ln.box,),
        )
        for ln in lines
        if ln.overflow > 1.0
    ]


def _splits(lines: Sequence[Line], count: int) -> list[Finding]:
    """Orphans, widows and words broken across a page turn."""
    out: list[Finding] = []
    blocks: dict[int, list[Line]] = {}
    for line in lines:
        if not line.front and not line.heading:
            blocks.setdefault(line.block, []).append(line)
    for block_lines in blocks.values():
        pages = sorted({ln.page for ln in block_lines})
        for before, after in itertools.pairwise(pages):
            head = [ln for ln in block_lines if ln.page == before]
            tail = [ln for ln in block_lines if ln.page == after]
            if len(head) == 1 and block_lines[0] is head[0]:
                out.append(
                    Finding(
                        before,
                        "orphan",
                        f"a paragraph's first line alone at the page foot: {_quote(head[0])}",
                        (head[0].box,),
                    )
                )
            if len(tail) == 1 and block_lines[-1] is tail[0]:
                out.append(
                    Finding(
                        after,
                        "widow",
                        f"a paragraph's last line alone at the page head: {_quote(tail[0])}",
                        (tail[0].box,),
                    )
                )
            end = head[-1]
            if end.hyphenated and before % 2 == 1 and after == before + 1:
                out.append(
                    Finding(
                        before,
                        "broken-word",
                        f"{_end_word(end)} is hyphenated across the page turn",
                        (end.box,),
                    )
                )
    return out


def _holes(lines: Sequence[Line], images: dict[int, list[tuple[float, float]]]) -> list[Finding]:
    """White space of HOLE_LINES lines or more between two lines of a column
    of text (not at the page's foot, not where a picture stands)."""
    out = []
    for page, on_page in sorted(by_page(lines).items()):
        body = sorted(
            # not a verse number's box in the margin: a column is wider than that
            (
                ln
                for ln in on_page
                if ln.area == "body" and not ln.front and ln.width > 8 * ln.height
            ),
            key=lambda ln: ln.y,
        )
        pictures = images.get(page, [])
        for index, line in enumerate(body):
            # the next line below in the same column (their widths overlap)
            below = next(
                (
                    b
                    for b in body[index + 1 :]
                    if b.y > line.y + 1 and b.x < line.x + line.width and line.x < b.x + b.width
                ),
                None,
            )
            if below is None:
                continue
            top, bottom = line.y + line.height, below.y
            if below.heading:
                # a section's headings stand level under the longer column:
                # the white before them there is the section's gap, the
                # shorter column's own white only what the longer one runs on
                beside = [
                    b.y + b.height
                    for b in body
                    if (b.x >= line.x + line.width or b.x + b.width <= line.x)
                    and top < b.y + b.height <= bottom + 1
                ]
                if beside:
                    bottom = max(beside)
            if bottom - top < HOLE_LINES * line.height:
                continue
            if any(a < bottom and top < b for a, b in pictures):
                continue
            box = (round(line.x, 1), round(top, 1), round(line.width, 1), round(bottom - top, 1))
            out.append(
                Finding(
                    page,
                    "hole",
                    f"{(bottom - top) / line.height:.0f} lines of white space inside the "
                    f"page after {_quote(line)}",
                    (box,),
                )
            )
    return out


def broken_word(line: Line, following: Line) -> str | None:
    """The word hyphenated at the end of ``line``, joined with its rest at
    the start of ``following``."""
    return word_across(line.text.rstrip(), following.text.lstrip())


def word_across(end: str, start: str) -> str | None:
    """The word hyphenated at the end of the text ``end`` (its last
    character the hyphen), joined with its rest at the start of ``start``."""
    head = re.findall(r"[^\W\d_]+$", end[:-1])
    tail = re.findall(r"^[^\W\d_]+", start)
    return head[0] + tail[0] if head and tail else None


@cache
def _en_us() -> Any:
    import pyphen

    return pyphen.Pyphen(lang="en_US", left=2, right=2)


def _bad_hyphens(lines: Sequence[Line]) -> list[Finding]:
    """English words broken where the en_US patterns do not break them (en-GB
    texts are checked against en_GB)."""
    out = []
    for line, following in itertools.pairwise(lines):
        if not line.hyphenated or not line.lang.lower().startswith("en"):
            continue
        if line.text.rstrip()[-1] != "\u2010" or following.block != line.block:
            continue  # a hyphen of the text itself, or the word continues elsewhere
        word = broken_word(line, following)
        if word is None:
            continue
        head = re.findall(r"[^\W\d_]+$", line.text.rstrip()[:-1])[0]
        tail = word[len(head) :]
        if line.lang.lower().replace("_", "-") == "en-gb":
            import pyphen

            positions = pyphen.Pyphen(lang="en_GB", left=2, right=2).positions(word)
        else:
            positions = _en_us().positions(word)
        if len(head) not in positions:
            out.append(
                Finding(
                    line.page,
                    "bad-hyphen",
                    f"{head}‐{tail} is not an en_US break of “{word}”",
                    (line.box,),
                )
            )
    return out


# -- showing it ------------------------------------------------------------------------


def format_text(report: Report, pdf: str) -> list[str]:
    """``path-of-pdf:page: code: message`` lines."""
    return [f"{pdf}:{f.page}: {f.code}: {f.message}" for f in report.findings]


def failed(report: Report, max_problems: int | None, max_loose: float | None) -> bool:
    """True when the report is over the thresholds a build was given."""
    if max_problems is not None and report.problems() > max_problems:
        return True
    return max_loose is not None and report.loose_share * 100 > max_loose


def write_previews(pdf: Path, report: Report, dest: Path, dpi: int = 60) -> list[Path]:
    """PNG pages with each finding's lines outlined (red for errors, orange
    for warnings), for pages that have findings."""
    import pypdfium2
    from PIL import ImageDraw

    from diglot.files import atomic_write

    by_page: dict[int, list[Finding]] = {}
    for finding in report.findings:
        by_page.setdefault(finding.page, []).append(finding)
    document = pypdfium2.PdfDocument(str(pdf))
    written = []
    try:
        width = len(str(len(document)))
        scale = dpi / 96  # box coordinates are CSS px
        for page, findings in sorted(by_page.items()):
            if page > len(document):
                continue
            image = document[page - 1].render(scale=dpi / 72).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            for finding in findings:
                colour = (220, 0, 0) if finding.severity == "error" else (240, 140, 0)
                for x, y, w, h in finding.boxes:
                    draw.rectangle(
                        [x * scale - 1, y * scale - 1, (x + w) * scale + 1, (y + h) * scale + 1],
                        outline=colour,
                        width=max(1, dpi // 60),
                    )
            path = dest / f"{pdf.stem}-proof-{page:0{width}d}.png"
            png = io.BytesIO()
            image.save(png, format="PNG")
            atomic_write(path, png.getvalue(), dest)
            written.append(path)
    finally:
        document.close()
    return written
