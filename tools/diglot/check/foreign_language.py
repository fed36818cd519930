"""``foreign-language``: a sentence that is not in the file's language."""

from __future__ import annotations

from collections.abc import Iterator

from diglot.check.findings import Finding, excerpt
from diglot.check.language import KNOWN_LANGUAGES, guess_language, language_name, language_script
from diglot.check.registry import Context, document_check
from diglot.facts import sentences
from diglot.sources import Document

CODE = "foreign-language"


@document_check(CODE, local=True)
def foreign_sentences(doc: Document, context: Context) -> Iterator[Finding]:
    """A sentence that is not in the file's language, by script and by letter evidence."""
    language = doc.language
    if language_script(language) is None:
        return
    names = {lang: language_name(lang) for lang in KNOWN_LANGUAGES}
    for seg in doc.segments.values():
        for block in seg.blocks:
            for sentence in sentences(block.plain):
                guess = guess_language(sentence, language)
                if guess is None:
                    continue
                shown = names.get(guess, guess)
                yield Finding.at(
                    CODE,
                    doc,
                    block.line,
                    seg.id,
                    f"sentence in {shown}, not {names.get(language, language)}: "
                    f"“{excerpt(sentence, 80)}”",
                )
