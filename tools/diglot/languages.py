"""Language tags as Babel knows them: the one place a tag becomes a Locale.

Tags are written BCP 47 style (``az``, ``en-GB``, ``kk-KZ``); Babel wants
``en_GB``. Everything that needs a locale, or needs to know whether a tag is
one, asks here, so a tag means the same thing to every command.
"""

from __future__ import annotations

import functools

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


@functools.cache
def writes_cyrillic(tag: str) -> bool:
    """Whether the language of ``tag`` is written in Cyrillic unless the tag
    names another script (Babel's likely subtags: "kk" is "kk_Cyrl_KZ",
    "az" is "az_Latn_AZ"; "sr-Latn" is Latin)."""
    from babel.core import get_global

    parts = tag.replace("_", "-").split("-")
    named = [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if named:
        return named[0].title() == "Cyrl"
    likely = get_global("likely_subtags").get(parts[0].lower(), "")
    return "_Cyrl" in likely
