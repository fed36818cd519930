"""Language tags as Babel knows them: the one place a tag becomes a Locale.

Tags are written BCP 47 style (``az``, ``en-GB``, ``kk-KZ``); Babel wants
``en_GB``. Everything that needs a locale, or needs to know whether a tag is
one, asks here, so a tag means the same thing to every command.
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError


def locale(tag: str) -> Locale:
    """Babel's locale for ``tag``; ValueError with a reader's message if it has none."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"unknown language tag {tag!r} (Babel has no locale for it)") from exc


def base_language(tag: str) -> str:
    """The language of a tag without its region or script: "ru" for "ru-RU"
    or "ru_RU" (a label, a sample text or a letter set given for the
    language serves every regional tag of it)."""
    return tag.replace("_", "-").split("-")[0]


def is_language_tag(tag: str) -> bool:
    """Whether Babel has a locale for the tag (``az``, ``en-GB``, ``kk_KZ``)."""
    try:
        locale(tag)
    except ValueError:
        return False
    return True
