"""Azerbaijani and Kazakh hyphenation: the generated dictionaries, their
registration with pyphen, and WeasyPrint actually using them."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pyphen
import pytest

from diglot import hyphenation
from diglot.hyphenation import build_patterns
from diglot.hyphenation.build_patterns import ALPHABETS, Alphabet

hyphenation.register()

AZ_WORDS = {
    "Azərbaycan": "Azər-bay-can",
    "respublikası": "res-pub-li-ka-sı",
    "soyqırımı": "soy-qı-rı-mı",
    "ildönümünün": "il-dö-nü-mü-nün",
    "beynəlxalq": "bey-nəl-xalq",
    "münaqişəsinin": "mü-na-qi-şə-si-nin",
    "təşkilatların": "təş-ki-lat-la-rın",
    "Heydər": "Hey-dər",
    "kitab": "ki-tab",
    "türklər": "türk-lər",
    "müəllim": "mü-əl-lim",
    "prezident": "pre-zi-dent",
    "konstitusiya": "kons-ti-tu-si-ya",
    "müstəqillik": "müs-tə-qil-lik",
    "dövlət": "döv-lət",
    "Qarabağ": "Qa-ra-bağ",
    "Naxçıvan": "Nax-çı-van",
    "hökumət": "hö-ku-mət",
    "parlament": "par-la-ment",
    "xalq": "xalq",
    "azadlıq": "azad-lıq",
    "mədəniyyət": "mə-də-niy-yət",
    "ədəbiyyat": "ədə-biy-yat",
    "iqtisadiyyat": "iq-ti-sa-diy-yat",
    "Şuşa": "Şu-şa",
    "Gəncə": "Gən-cə",
    "Sumqayıt": "Sum-qa-yıt",
    "Xocalı": "Xo-ca-lı",
    "qaçqın": "qaç-qın",
    "məktəb": "mək-təb",
    "universitet": "uni-ver-si-tet",
    "Əliyev": "Əli-yev",
    "ailə": "ai-lə",
    "saat": "sa-at",
    "şeir": "şe-ir",
    "Cümhuriyyəti": "Cüm-hu-riy-yə-ti",
    "ərazi": "əra-zi",
    "hüquq": "hü-quq",
    "müharibə": "mü-ha-ri-bə",
    "Ermənistan": "Er-mə-nis-tan",
    "Xankəndi": "Xan-kən-di",
    "demokratik": "de-mok-ra-tik",
    "strateji": "stra-te-ji",  # no vowelless "st-"
    "struktur": "struk-tur",
    "Türkiyə": "Tür-ki-yə",
    "qarşı-qarşıya": "qar-şı-qar-şı-ya",  # no break next to the compound's hyphen
    # Capital İ: str.lower() makes it two characters; the breaks must not shift.
    "İlham": "İl-ham",
    "İnsan": "İn-san",
    "İSTİQLAL": "İS-TİQ-LAL",
    "AZƏRBAYCAN": "AZƏR-BAY-CAN",
    "İNKİŞAF": "İN-Kİ-ŞAF",
}

KK_WORDS = {
    "Әзірбайжан": "Әзір-бай-жан",
    "республикасының": "рес-пуб-ли-ка-сы-ның",
    "президенті": "пре-зи-ден-ті",
    "мемлекеттік": "мем-ле-кет-тік",
    "қауіпсіздігі": "қа-уіп-сіз-ді-гі",
    "тұңғыш": "тұң-ғыш",
    "Нахшыван": "Нах-шы-ван",
    "Астана": "Ас-та-на",
    "тәуелсіздік": "тә-уел-сіз-дік",  # у after a vowel is consonantal
    "халық": "ха-лық",
    "бейбітшілік": "бей-біт-ші-лік",
    "ынтымақтастық": "ын-ты-мақ-тас-тық",
    "мәдениет": "мә-де-ни-ет",
    "ауыл": "ауыл",  # а-уыл would leave one letter
    "университет": "уни-вер-си-тет",
    "конституция": "конс-ти-ту-ция",
    "парламент": "пар-ла-мент",
    "Баку": "Ба-ку",
    "Қарабақ": "Қа-ра-бақ",
    "тарих": "та-рих",
    "ғылым": "ғы-лым",
    "білім": "бі-лім",
    "өнер": "өнер",
    "әдебиет": "әде-би-ет",
    "ұлттық": "ұлт-тық",
    "бірлестік": "бір-лес-тік",
    "жоғары": "жо-ға-ры",
    "экономика": "эко-но-ми-ка",
    "саясат": "са-я-сат",
    "қоян": "қо-ян",
    "тауы": "та-уы",
    "сауда": "сау-да",  # у closes the syllable before a consonant
    "әлеуметтік": "әлеу-мет-тік",
    "жауапкершілік": "жа-уап-кер-ші-лік",
    "зайырлы": "за-йыр-лы",
    "Азербайджан": "Азер-бай-джан",  # digraph дж kept together
    "объект": "объ-ект",  # never break before ъ
    "пальто": "паль-то",  # never break before ь
    "структура": "струк-ту-ра",
    "студенттерімен": "сту-дент-те-рі-мен",
    "қарым-қатынас": "қа-рым-қа-ты-нас",
    "ҚАУІПСІЗДІК": "ҚА-УІП-СІЗ-ДІК",
}

AZ_TEXT = """Azərbaycan Respublikasında dövlət hakimiyyətinin yeganə mənbəyi
Azərbaycan xalqıdır. Azərbaycan Respublikası demokratik, hüquqi, dünyəvi, unitar
respublikadır. Xocalı soyqırımının ildönümündə beynəlxalq təşkilatların
nümayəndələri Bakıda anım mərasimində iştirak etdilər. Qarabağ münaqişəsinin
nizamlanması, qaçqın və məcburi köçkünlərin öz torpaqlarına qayıtması, regionda
sülh və təhlükəsizliyin bərqərar olması üçün danışıqlar davam edirdi. Heydər
Əliyev adına Mədəniyyət Mərkəzində İSTİQLAL günü münasibətilə konsert, sərgi və
elmi-praktik konfrans keçirildi; Naxçıvan, Gəncə, Şuşa, Sumqayıt və Lənkəran
şəhərlərindən gələn qonaqlar qarşı-qarşıya oturmuşdular."""

KK_TEXT = """Қазақстан Республикасы өзін демократиялық, зайырлы, құқықтық және
әлеуметтік мемлекет ретінде орнықтырады. Әзірбайжан Республикасының президенті
Астанаға ресми сапармен келді. Екі мемлекеттің тұңғыш басшылары халықаралық
қауіпсіздік, экономикалық ынтымақтастық және мәдени қарым-қатынас туралы
келіссөздер жүргізді. Нахшыван мен Бакудан келген делегация университет
студенттерімен кездесіп, тәуелсіздіктің отыз жылдығына арналған көрмеге барды.
Конституция, парламент, объект, компьютер, Азербайджан, пальто және бульон
сияқты сөздер орыс тілі арқылы енген. Ауыл шаруашылығы мен сауда, жауапкершілік
пен бейбітшілік, тау мен қоян, саясат пен ғылым, Ильхам Әлиев."""

SAMPLES = {"az": AZ_TEXT, "kk": KK_TEXT}
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def words(lang: str) -> list[str]:
    return WORD.findall(SAMPLES[lang])


def turkic_lower(text: str) -> str:
    return text.replace("İ", "i").replace("I", "ı").lower()


# --- the bundled dictionaries ----------------------------------------------------


@pytest.mark.parametrize(("word", "expected"), AZ_WORDS.items())
def test_azerbaijani_words(word: str, expected: str) -> None:
    assert pyphen.Pyphen(lang="az").inserted(word) == expected


@pytest.mark.parametrize(("word", "expected"), KK_WORDS.items())
def test_kazakh_words(word: str, expected: str) -> None:
    assert pyphen.Pyphen(lang="kk").inserted(word) == expected


CAPITALS = [(w, e) for w, e in AZ_WORDS.items() if w[0].isupper()]


@pytest.mark.parametrize(("word", "expected"), CAPITALS)
def test_guarded_dictionary_keeps_the_turkic_capitals(
    word: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Laying out an edition guards the dictionaries (protected words get no
    break). The guard must keep the az/kk Turkic lower-casing (İ → i, I → ı),
    also over a dictionary pyphen loaded by itself before diglot registered
    its own: else İSTİQLAL is lowered to five-plus-one characters and every
    break after the İ shifts."""
    path = hyphenation.dictionary_path("az")
    hyphenation.register(["az"])
    monkeypatch.setitem(pyphen.hdcache, path, pyphen.HyphDict(path))  # pyphen's own, as loaded
    hyphenation.guard(["az", "en"])
    hyphenation.protect(frozenset({"demokratik"}))
    try:
        dictionary = pyphen.Pyphen(lang="az")
        assert dictionary.inserted(word) == expected
        assert dictionary.inserted("demokratik") == "demokratik"  # protected
        assert dictionary.inserted("Ermənistan") == "Er-mə-nis-tan"
    finally:
        hyphenation.protect(frozenset())


@pytest.mark.parametrize("lang", hyphenation.LANGUAGES)
@pytest.mark.parametrize("minimum", [2, 1], ids=["min2", "min1"])
def test_sample_text_properties(lang: str, minimum: int) -> None:
    """Every break in a real text obeys the rules, even when the caller asks
    pyphen for one-letter fragments: the minima are in the patterns."""
    alphabet: Alphabet = ALPHABETS[lang]
    dictionary = pyphen.Pyphen(lang=lang, left=minimum, right=minimum)
    broken = 0
    for compound in words(lang):
        hyphenated = dictionary.inserted(compound, hyphen="=")
        assert hyphenated.replace("=", "") == compound
        lower = turkic_lower(hyphenated)
        for digraph in alphabet.digraphs:
            assert f"{digraph[0]}={digraph[1:]}" not in lower, hyphenated
        for part in lower.split("-"):  # parts of a hyphenated compound
            fragments = part.split("=")
            broken += len(fragments) - 1
            if len(fragments) == 1:
                continue
            assert part.strip("=") == part, hyphenated  # no break next to "-"
            assert len(fragments[0]) >= 2, hyphenated
            assert len(fragments[-1]) >= 2, hyphenated
            for fragment in fragments:
                assert any(v in fragment for v in alphabet.vowels), hyphenated
                assert fragment[0] not in alphabet.signs, hyphenated  # ь/ъ
    assert broken > 100  # the text really got hyphenated


@pytest.mark.parametrize("lang", hyphenation.LANGUAGES)
def test_one_syllable_per_vowel_in_native_words(lang: str) -> None:
    """Without vowel pairs, glides or one-letter edge syllables a word gets
    exactly one fragment per vowel."""
    alphabet = ALPHABETS[lang]
    dictionary = pyphen.Pyphen(lang=lang)
    for word in ("ildönümünün", "münaqişəsinin", "мемлекеттік", "ынтымақтастық"):
        if not set(word) <= set(alphabet.letters):
            continue
        vowels = sum(ch in alphabet.vowels for ch in word)
        assert dictionary.inserted(word).count("-") == vowels - 1


# --- the files and the generator -------------------------------------------------


@pytest.mark.parametrize("lang", hyphenation.LANGUAGES)
def test_dictionary_file(lang: str) -> None:
    path = hyphenation.dictionary_path(lang)
    assert path.stat().st_size < 300_000
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["UTF-8", "LEFTHYPHENMIN 2", "RIGHTHYPHENMIN 2"]
    header = "\n".join(line for line in lines if line.startswith("%"))
    assert "GENERATED" in header
    assert "tools/diglot/hyphenation/build_patterns.py" in header
    assert "MIT" in header
    # pyphen skips the % comment lines: none of them became a pattern.
    parsed = pyphen.HyphDict(path)
    assert not any("%" in key or " " in key for key in parsed.patterns)
    patterns = [line for line in lines[3:] if not line.startswith("%")]
    count = re.search(r"^% (\d+) patterns\.$", header, re.MULTILINE)
    assert count is not None
    assert len(patterns) == int(count.group(1)) == len(parsed.patterns)


@pytest.mark.parametrize("lang", hyphenation.LANGUAGES)
def test_dictionary_is_up_to_date(lang: str) -> None:
    text = hyphenation.dictionary_path(lang).read_text(encoding="utf-8")
    assert text == build_patterns.render(ALPHABETS[lang]), (
        "rerun: PYTHONPATH=tools python -m diglot.hyphenation.build_patterns"
    )


def test_generator_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert build_patterns.main(["--check"]) == 0
    assert build_patterns.main(["--check", "--output-dir", str(tmp_path)]) == 1
    assert build_patterns.main(["--output-dir", str(tmp_path)]) == 0
    assert build_patterns.main(["--check", "--output-dir", str(tmp_path)]) == 0
    for lang in hyphenation.LANGUAGES:
        written = (tmp_path / f"hyph_{lang}.dic").read_bytes()
        assert written == hyphenation.dictionary_path(lang).read_bytes()
    assert "hyph_az.dic" in capsys.readouterr().out


def test_pattern_merging() -> None:
    patterns = build_patterns.PatternSet()
    patterns.add("a1ua")
    patterns.add("au2a")
    patterns.add(".b2")
    assert patterns.lines() == [".b2", "a1u2a"]


# --- registration -------------------------------------------------------------


def test_register_is_idempotent() -> None:
    hyphenation.register()
    cached = {lang: pyphen.hdcache[hyphenation.dictionary_path(lang)] for lang in ("az", "kk")}
    hyphenation.register()
    for lang in hyphenation.LANGUAGES:
        path = hyphenation.dictionary_path(lang)
        assert isinstance(pyphen.LANGUAGES[lang], Path)
        assert pyphen.LANGUAGES[lang] == path
        assert pyphen.LANGUAGES_LOWERCASE[lang] == lang
        assert pyphen.hdcache[path] is cached[lang]
    assert hyphenation.LANGUAGES == ("az", "kk")


def test_unknown_language() -> None:
    with pytest.raises(ValueError, match="tr"):
        hyphenation.dictionary_path("tr")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("az", "az"),
        ("AZ", "az"),
        ("az-AZ", "az"),
        ("az_AZ", "az"),
        ("az_Latn", "az"),
        ("az-Latn-AZ", "az"),
        ("kk", "kk"),
        ("kk-KZ", "kk"),
        ("kk_KZ", "kk"),
        ("kk_Cyrl", "kk"),
        ("kk-Cyrl-KZ", "kk"),
    ],
)
def test_region_and_script_variants(tag: str, expected: str) -> None:
    """WeasyPrint passes the raw ``lang`` attribute to
    ``pyphen.language_fallback``, which strips subtags down to ``az``/``kk``."""
    assert pyphen.language_fallback(tag) == expected
    word = {"az": "Azərbaycanın", "kk": "Әзірбайжанның"}[expected]
    assert pyphen.Pyphen(lang=tag).inserted(word) in ("Azər-bay-ca-nın", "Әзір-бай-жан-ның")


# --- WeasyPrint end to end ----------------------------------------------------------

AZ_PARAGRAPH = (
    "Azərbaycan Respublikasının müstəqillik ildönümünün beynəlxalq "
    "təşkilatların münaqişəsinin nizamlanması"
)
KK_PARAGRAPH = (
    "Әзірбайжан Республикасының президенті мемлекеттік қауіпсіздігі "
    "тәуелсіздігінің халықаралық ынтымақтастық"
)
HYPHEN = "\u2010"  # WeasyPrint's default hyphenate-character


def _html(lang: str, text: str, hyphens: str = "auto") -> str:
    from diglot import fonts

    return (
        f"<html><head><style>{fonts.font_face_css()}\n"
        'body { font-family: "Noto Serif"; font-size: 11pt }</style></head><body>'
        f'<p lang="{lang}" style="hyphens:{hyphens};width:3cm;text-align:justify">'
        f"{text}</p></body></html>"
    )


def _line_texts(document: Any) -> list[str]:
    from diglot import weasy

    return [
        "".join(t.text for t in weasy.text_boxes(line))
        for page in document.pages
        for line in weasy.descendants(weasy.page_box(page))
        if weasy.is_line(line)
    ]


def _render(lang: str, text: str, hyphens: str = "auto") -> list[str]:
    from weasyprint import HTML

    return _line_texts(HTML(string=_html(lang, text, hyphens)).render())


@pytest.mark.slow
@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("az", AZ_PARAGRAPH),
        ("az-Latn-AZ", AZ_PARAGRAPH),
        ("kk", KK_PARAGRAPH),
        ("kk-Cyrl-KZ", KK_PARAGRAPH),
    ],
)
def test_weasyprint_hyphenates(lang: str, text: str) -> None:
    lines = _render(lang, text)
    assert " ".join(lines).replace(HYPHEN + " ", "").split() == text.split()
    hyphenated = [i for i, line in enumerate(lines) if line.endswith(HYPHEN)]
    assert len(hyphenated) >= 2, lines
    dictionary = pyphen.Pyphen(lang=lang)
    for i in hyphenated:
        head = lines[i].removesuffix(HYPHEN).split()[-1]
        tail = lines[i + 1].split()[0]
        assert head + tail in text.split()
        assert len(head) in dictionary.positions(head + tail), (head, tail)


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text"), [("az", AZ_PARAGRAPH), ("kk", KK_PARAGRAPH)])
def test_weasyprint_pdf_text_has_hyphens(lang: str, text: str) -> None:
    from pypdf import PdfReader
    from weasyprint import HTML

    pdf = HTML(string=_html(lang, text)).write_pdf()
    extracted = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    # a word broken at the end of a line, its rest on the next one
    assert re.search(rf"\w{HYPHEN}\n\w", extracted), extracted


@pytest.mark.slow
@pytest.mark.parametrize(("lang", "text"), [("az", AZ_PARAGRAPH), ("kk", KK_PARAGRAPH)])
def test_weasyprint_needs_register(lang: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Control: the hyphens come from our dictionaries, not from elsewhere."""
    assert any(line.endswith(HYPHEN) for line in _render(lang, text))
    assert not any(line.endswith(HYPHEN) for line in _render(lang, text, hyphens="manual"))
    monkeypatch.delitem(pyphen.LANGUAGES_LOWERCASE, lang)
    assert not any(line.endswith(HYPHEN) for line in _render(lang, text))
