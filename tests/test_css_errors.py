"""What WeasyPrint warns about in the project's own stylesheets is an error
naming the stylesheet and line; in diglot's or another folder's, nothing.
Run in the test process (the bad-input cases 18, 19 and 60 run the real
command on the same mistakes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diglot import pdf
from diglot.errors import DiglotErrors, TemplateError


def lay_out(root: Path, sheets: dict[str, str], strict: Path | None) -> list[str]:
    folder = root / "styles"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in sheets.items():
        (folder / name).write_text(text, encoding="utf-8")
    html = (
        '<html><head><link rel="stylesheet" href="styles/main.css"></head>'
        "<body><p>x</p></body></html>"
    )
    try:
        pdf.render(html, root, [root], strict_css=strict)
    except (TemplateError, DiglotErrors) as exc:
        errors = exc.errors if isinstance(exc, DiglotErrors) else [exc]
        return [e.format(root) for e in errors]
    return []


def test_unknown_property_is_an_error_at_its_line(tmp_path: Path) -> None:
    found = lay_out(tmp_path, {"main.css": "p {\n  color: navy;\n\n  colr: navy;\n}\n"}, tmp_path)
    assert found == [
        "styles/main.css:4: invalid CSS: Ignored `colr: navy` at 4:3, unknown property."
    ]


def test_bad_selector_is_found_by_its_text(tmp_path: Path) -> None:
    found = lay_out(
        tmp_path, {"main.css": "p { color: navy }\n\n.cover >> h1 { color: red }\n"}, tmp_path
    )
    assert len(found) == 1
    assert found[0].startswith("styles/main.css:3: invalid CSS: Invalid or unsupported selector")


def test_imported_sheet_is_named_not_the_importer(tmp_path: Path) -> None:
    sheets = {
        "main.css": '@import "cover.css";\np { color: navy }\n',
        "cover.css": "h1 {\n  colr: red;\n}\n",
    }
    found = lay_out(tmp_path, sheets, tmp_path)
    assert found == [
        "styles/cover.css:2: invalid CSS: Ignored `colr: red` at 2:3, unknown property."
    ]


def test_every_mistake_at_once(tmp_path: Path) -> None:
    sheets = {
        "main.css": '@import "cover.css";\np { colr: navy }\n',
        "cover.css": "h1 { colr: red }\n",
    }
    found = lay_out(tmp_path, sheets, tmp_path)
    assert sorted(f.split(": invalid")[0] for f in found) == [
        "styles/cover.css:1",
        "styles/main.css:2",
    ]


@pytest.mark.parametrize("strict", [False, True])
def test_only_the_strict_folder_is_strict(tmp_path: Path, strict: bool) -> None:
    """Stylesheets outside the strict folder (diglot's own) only warn."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    found = lay_out(tmp_path, {"main.css": "p { colr: navy }\n"}, tmp_path if strict else elsewhere)
    assert bool(found) is strict


def test_a_clean_stylesheet_is_no_error(tmp_path: Path) -> None:
    assert lay_out(tmp_path, {"main.css": "p { color: navy }\n"}, tmp_path) == []
