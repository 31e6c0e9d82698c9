"""Text as people write it: folding, tokens and stop words for the languages of the region.

Profiles at a brokerage event arrive in English mixed with Romanian, Serbian, Bulgarian, Greek,
Turkish, Albanian, Macedonian and Ukrainian, typed with or without diacritics and sometimes in
Cyrillic or Greek script. Everything is folded to plain lower-case Latin before it is counted, so
"Softver", "софтвер" and "SOFTVER" are one token.
"""

import csv
import functools
import os
import re
import unicodedata

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

# Cyrillic (Serbian, Macedonian, Bulgarian, Ukrainian, Russian) and Greek letters to the Latin
# spelling people use when they write those languages on a Latin keyboard. Letters with marks
# (й, ї, ѓ, ά, ...) need no entry: NFKD splits off the mark, which is then dropped.
_TRANSLITERATION = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "ђ": "dj", "е": "e", "є": "ye",
    "ж": "zh", "з": "z", "ѕ": "dz", "и": "i", "і": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj",
    "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c",
    "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "ch", "џ": "dz", "ш": "sh", "щ": "sht",
    "ъ": "a", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    # Latin letters that NFKD leaves whole.
    "đ": "dj", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "þ": "th",
    "_": " ",
}  # fmt: skip

_FOLD_TABLE = str.maketrans(_TRANSLITERATION)
_COMBINING = re.compile(r"[\u0300-\u036f]")
_TOKEN = re.compile(r"\w\w+")
_ASCII_TOKEN = re.compile(r"[a-z0-9]{2,}")  # the same on folded ASCII text, and faster
DOCUMENT_BREAK = "\x01"
_CORPUS_TOKEN = re.compile(r"\w\w+|\x01")
_ASCII_CORPUS_TOKEN = re.compile(r"[a-z0-9]{2,}|\x01")

# Function words of the region's languages, folded the same way as the text. Kept short on
# purpose: only words that carry no business meaning in any of the languages.
_REGIONAL_STOP_WORDS = """
si sau de la din cu pentru pe un una o care este sunt al ale ai mai ca ce se nu noi lor prin
despre acest aceasta acesti aceste fi fost avem suntem nostru noastra nostri noastre sa iar
ili ali za od do sa je su da kao koji koja koje koji smo nas nasa nase nasi iz po pri te to
sto kako biti bi ovo taj ta ova ove svoj svoje vec samo
na ot che kato koito koyato nie nashi nashata tova tazi tezi ne shte kje vo so ima nema
kai tou tis ton tin stin sto stous me gia apo einai oi enas mia ena pou os kata tous tha
ve ile icin bir bu olarak olan gibi daha cok en her ya veya ki biz bizim ayrica
dhe ne per nga nje ka jane eshte si ose por qe tek edhe jemi
ta dlia shcho yak vid abo ale tse my nash nasha nashi takozh
"""

# "it" is an English pronoun but also the name of the sector most of these events are about.
STOP_WORDS = frozenset((ENGLISH_STOP_WORDS - {"it"}) | set(_REGIONAL_STOP_WORDS.split()))


def fold(text):
    """Fold `text` to lower-case plain Latin: case folded, Cyrillic and Greek transliterated,
    diacritics removed ("Țară" -> "tara", "софтвер" -> "softver"); "_" becomes a space.
    Cost: linear in the length.
    """
    if text.isascii():  # most text, and ten times faster than the general path
        return text.lower().replace("_", " ")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return _COMBINING.sub("", decomposed.translate(_FOLD_TABLE))


def split_words(text):
    """All the words of `text`, folded (see `fold`), in order: runs of two or more letters or
    digits. Cost: linear in the length."""
    folded = fold(text)
    return (_ASCII_TOKEN if folded.isascii() else _TOKEN).findall(folded)


def split_corpus(docs):
    """The words of every document of `docs` (see `split_words`) in one list, the documents
    separated by DOCUMENT_BREAK. One regular-expression pass over the whole corpus is a
    third faster than one per document. Cost: linear in the total length."""
    folded = f" {DOCUMENT_BREAK} ".join(fold(doc.replace(DOCUMENT_BREAK, " ")) for doc in docs)
    return (_ASCII_CORPUS_TOKEN if folded.isascii() else _CORPUS_TOKEN).findall(folded)


def is_year(word):
    """True for 1900 to 2099 written as four digits."""
    return len(word) == 4 and word.isdigit() and word[:2] in ("19", "20")


def is_content_word(word):
    """False for stop words and bare numbers, which say nothing about what a participant does;
    years are kept ("call 2027", "ICT-37-2015"): they date a call, a project or a plan, and
    partners are often active in the same calls (tuned on the CORDIS dev half,
    docs/matching.md)."""
    return word not in STOP_WORDS and (not word.isdigit() or is_year(word))


def tokenize(text):
    """The content words of `text`, folded, in order (see `split_words`, `is_content_word`)."""
    return [word for word in split_words(text) if is_content_word(word)]


# -- across languages: glossary, spelling skeleton, generic words --------------------------------

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
GLOSSARY_PATH = os.path.join(DATA, "glossary.csv")
GENERIC_WORDS_PATH = os.path.join(DATA, "generic_words.txt")
# A glossary form ending in "*" is a stem: it matches the words that start with it and have at
# most STEM_MAX_SUFFIX more letters ("navodnjav*" -> "navodnjavanje", "navodnjavanja"). Stems
# shorter than STEM_MIN_LENGTH match only themselves: "grad*" (city) would take the English
# "grade", "port*" (harbour) "portal"; a check against the CORDIS texts found such collisions.
STEM_MIN_LENGTH = 5
STEM_MAX_SUFFIX = 6


def skeleton(word):
    """`word` folded, with "sh", "ch" and "zh" written "s", "c" and "z": Cyrillic transliterates
    ш, ч, ж to two letters where Latin spelling of the same language drops a caron
    ("решење" -> "reshenje", "rešenje" -> "resenje"; both "resenje"). Used to compare words
    across scripts, never shown."""
    return fold(word).replace("sh", "s").replace("ch", "c").replace("zh", "z")


class Glossary:
    """Business and technology words of the region's languages mapped to an English concept
    (data/glossary.csv: one concept a row, one column per language, forms separated by "|",
    "*" marking a stem). Lookups go through `skeleton`, so one Latin or native-script form
    covers Cyrillic, Latin, with and without diacritics. Where two rows claim the same form,
    the earlier row wins (the file lists the more common sense first)."""

    def __init__(self, rows):
        self.exact, self.stems = {}, {}
        for row in rows:
            concept = fold(row["concept"]).strip()
            if not concept or " " in concept:
                continue
            self.exact.setdefault(skeleton(concept), concept)
            for language, cell in row.items():
                if language == "concept" or not cell:
                    continue
                for form in cell.split("|"):
                    self._add(form.strip(), concept)

    def _add(self, form, concept):
        stem = form.endswith("*")
        key = skeleton(form.rstrip("*"))
        if not key or not (_TOKEN.fullmatch(key)):  # several words or an apostrophe: unusable
            return
        if stem and len(key) >= STEM_MIN_LENGTH:
            self.stems.setdefault(key, concept)
        else:
            self.exact.setdefault(key, concept)

    def concept(self, word):
        """The English concept of folded `word` ("navodnjavanje" -> "irrigation"), or None.
        An exact form first, else the longest matching stem. Cost: O(len(word)) dict lookups."""
        key = skeleton(word)
        found = self.exact.get(key)
        if found is not None:
            return found
        for length in range(len(key), max(STEM_MIN_LENGTH, len(key) - STEM_MAX_SUFFIX) - 1, -1):
            found = self.stems.get(key[:length])
            if found is not None:
                return found
        return None


@functools.cache
def glossary():
    """The shipped glossary (read once)."""
    with open(GLOSSARY_PATH, encoding="utf-8", newline="") as file:
        return Glossary(csv.DictReader(file))


@functools.cache
def generic_words():
    """The generic business words and concepts (data/generic_words.txt), folded."""
    with open(GENERIC_WORDS_PATH, encoding="utf-8") as file:
        lines = (line.strip() for line in file)
        return frozenset(fold(line) for line in lines if line and not line.startswith("#"))


def is_generic(word, concept=None):
    """True for a word that says nothing specific at a brokerage event ("solutions",
    "inovatoare", "решения"): listed in generic_words.txt, or whose glossary `concept` is."""
    generic = generic_words()
    return word in generic or (concept is not None and concept in generic)
