from matchmaker.matching.text import DOCUMENT_BREAK, fold, split_corpus, tokenize


def test_fold_accents_removed():
    assert fold("Țară Ștefan Ñandú Ğüzel") == "tara stefan nandu guzel"


def test_fold_cyrillic_and_greek_transliterated():
    assert fold("Софтвер ЕРП Λογισμικό") == "softver erp logismiko"


def test_tokenize_stop_words_of_the_region_dropped():
    text = "We și pentru i za kai ve dhe software 24 and the IT"

    assert tokenize(text) == ["software", "it"]


def test_tokenize_keeps_years_drops_other_numbers():
    assert tokenize("Topic ICT-37-2015-1, 140 companies, deadline 2027, 3500 m2") == [
        "topic",
        "ict",
        "2015",
        "companies",
        "deadline",
        "2027",
        "m2",
    ]


def test_split_corpus_documents_separated_by_break():
    assert split_corpus(["ERP sistem", "", "web\x01shop"]) == [
        "erp",
        "sistem",
        DOCUMENT_BREAK,
        DOCUMENT_BREAK,
        "web",
        "shop",
    ]
