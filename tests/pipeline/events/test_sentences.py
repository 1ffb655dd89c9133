"""Sentence splitting across scripts; offsets must index the original text."""

from pipeline.events.sentences import split_sentences


def _texts(text: str) -> list[str]:
    sents = split_sentences(text)
    for s in sents:
        assert text[s.start : s.end] == s.text
    return [s.text for s in sents]


def test_latin_abbreviations_and_initials():
    text = (
        "The U.S. envoy met Mr. Smith in Geneva. "
        "Talks with S. Jaishankar follow on Monday! Will they agree?"
    )
    assert _texts(text) == [
        "The U.S. envoy met Mr. Smith in Geneva.",
        "Talks with S. Jaishankar follow on Monday!",
        "Will they agree?",
    ]


def test_numbers_and_german_ordinals_do_not_split():
    assert _texts("Die Zölle gelten ab dem 1. Juni. Der Kurs lag bei 3.5 Prozent.") == [
        "Die Zölle gelten ab dem 1. Juni.",
        "Der Kurs lag bei 3.5 Prozent.",
    ]


def test_devanagari_danda():
    assert _texts("भारत ने बयान जारी किया। पाकिस्तान ने जवाब दिया।") == [
        "भारत ने बयान जारी किया।",
        "पाकिस्तान ने जवाब दिया।",
    ]


def test_cjk_without_spaces_and_closing_quotes():
    assert _texts("外交部表示“坚决反对。”双方同意会谈！好吗？") == [
        "外交部表示“坚决反对。”",
        "双方同意会谈！",
        "好吗？",
    ]


def test_arabic_and_urdu_marks():
    assert _texts("هل وصل الوفد؟ نعم وصل.") == ["هل وصل الوفد؟", "نعم وصل."]
    assert _texts("وزیراعظم نے خطاب کیا۔ اجلاس ختم ہوا۔") == [
        "وزیراعظم نے خطاب کیا۔",
        "اجلاس ختم ہوا۔",
    ]


def test_newlines_split_and_whitespace_is_trimmed():
    sents = split_sentences("  First line without stop\n\nSecond one.  ")
    assert [s.text for s in sents] == ["First line without stop", "Second one."]
    assert [s.index for s in sents] == [0, 1]
