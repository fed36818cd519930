"""Language tags: what Babel knows, in BCP 47 or Babel spelling."""

from __future__ import annotations

import pytest

from diglot.languages import is_language_tag, locale


@pytest.mark.parametrize("tag", ["az", "kk", "en", "ru", "en-GB", "kk_KZ", "az-Latn"])
def test_known_tags(tag):
    assert is_language_tag(tag)
    assert locale(tag).language == tag[:2]


@pytest.mark.parametrize("tag", ["xx", "english", "", "en-", "../en"])
def test_unknown_tags(tag):
    assert is_language_tag(tag) is False
    with pytest.raises(ValueError) as info:
        locale(tag)
    assert str(info.value) == f"unknown language tag {tag!r} (Babel has no locale for it)"


def test_a_language_name_starts_with_the_capital_of_the_language_it_is_written_in():
    """Azerbaijani capitalises its dotted i as İ: the record of changes of an
    Azerbaijani edition had headed the English entries "Ingilis"."""
    from diglot.dates import language_name

    assert language_name("en", "az") == "İngilis"
    assert language_name("en", "ru") == "Английский"
    assert language_name("en", "kk") == "Ағылшын тілі"
    assert language_name("az", "en") == "Azerbaijani"
    assert language_name("ru") == "Русский"
