"""Date cues and event dates: hand-written sentences per language (published 2022-12-31)."""

from __future__ import annotations

import datetime

import pytest

from pipeline.events.dates import DateCue, find_date_cues, resolve_event_date, supported_languages

SAT = datetime.date(2022, 12, 31)  # a Saturday

# (lang, text, expected value, expected precision), all resolved against SAT
RESOLVE_CASES = [
    # English
    ("en", "The two presidents spoke by phone on Friday, the Kremlin said.", "2022-12-30", "day"),
    ("en", "Ministers met in Geneva on Saturday.", "2022-12-31", "day"),
    ("en", "The envoy will travel to Cairo on Friday for talks.", "2023-01-06", "day"),
    ("en", "Both sides agreed to meet again next Monday.", "2023-01-02", "day"),
    ("en", "Rebels shelled the town last Saturday.", "2022-12-24", "day"),
    ("en", "The treaty was signed on December 28, 2022 in Vienna.", "2022-12-28", "day"),
    ("en", "Police detained 40 protesters on 27 December.", "2022-12-27", "day"),
    ("en", "Troops withdrew on Dec. 26, officials said.", "2022-12-26", "day"),
    ("en", "The ministry confirmed the deal on 12/29/2022.", "2022-12-29", "day"),
    ("en", "The summit took place on 2022-12-20 in Riga.", "2022-12-20", "day"),
    ("en", "The army launched the operation yesterday.", "2022-12-30", "day"),
    ("en", "The embassy was attacked three days ago.", "2022-12-28", "day"),
    ("en", "Militias clashed near the border last week.", "2022-12", "month"),
    ("en", "The government imposed sanctions in October.", "2022-10", "month"),
    ("en", "The two countries broke off relations in 2019.", "2019", "year"),
    ("en", "Officials said on Friday that talks would resume on January 15.", "2022-12-30", "day"),
    # Hindi
    ("hi", "प्रधानमंत्री ने शुक्रवार को राष्ट्रपति से मुलाकात की।", "2022-12-30", "day"),
    ("hi", "विदेश मंत्री ने कल वार्ता की।", "2022-12-30", "day"),
    ("hi", "दोनों नेता कल दिल्ली में मिलेंगे।", "2023-01-01", "day"),
    ("hi", "सरकार ने 28 दिसंबर, 2022 को प्रतिबंध लगाए।", "2022-12-28", "day"),
    ("hi", "सेना ने २७ दिसंबर को हमला किया।", "2022-12-27", "day"),
    ("hi", "मंत्री अगले शुक्रवार को बीजिंग जाएंगे।", "2023-01-06", "day"),
    ("hi", "पिछले महीने दोनों देशों ने समझौता किया।", "2022-11", "month"),
    ("hi", "यह समझौता साल 2019 में हुआ था।", "2019", "year"),
    # Spanish
    ("es", "El presidente recibió este jueves al canciller ruso.", "2022-12-29", "day"),
    ("es", "El Gobierno firmó el acuerdo el 28 de diciembre de 2022.", "2022-12-28", "day"),
    ("es", "La policía detuvo ayer a doce manifestantes.", "2022-12-30", "day"),
    ("es", "Los cancilleres se reunirán el próximo martes en Lima.", "2023-01-03", "day"),
    ("es", "Las protestas comenzaron en noviembre.", "2022-11", "month"),
    # French
    ("fr", "Le président a reçu mardi son homologue allemand.", "2022-12-27", "day"),
    ("fr", "L'accord a été signé le 1er décembre 2022 à Paris.", "2022-12-01", "day"),
    ("fr", "Les deux ministres se sont entretenus hier au téléphone.", "2022-12-30", "day"),
    ("fr", "Il y a deux jours, l'armée a bombardé la ville.", "2022-12-29", "day"),
    # German
    ("de", "Der Kanzler ist am Mittwoch nach Warschau gereist.", "2022-12-28", "day"),
    ("de", "Die Regierung verhängte am 29. Dezember 2022 neue Sanktionen.", "2022-12-29", "day"),
    ("de", "Am Dienstagabend griffen Drohnen die Stadt an.", "2022-12-27", "day"),
    (
        "de",
        "Der Minister wird am Montag in Kiew erwartet und wird am Montag sprechen.",
        "2023-01-02",
        "day",
    ),
    # Russian
    ("ru", "Президент в четверг провел переговоры с премьер-министром Индии.", "2022-12-29", "day"),
    ("ru", "Стороны подписали соглашение 28 декабря 2022 года.", "2022-12-28", "day"),
    ("ru", "Вчера МИД вызвал посла.", "2022-12-30", "day"),
    ("ru", "В мае Китай увеличил импорт нефти.", "2022-05", "month"),
    ("ru", "Встреча состоится в следующую среду.", "2023-01-04", "day"),
    # Arabic
    ("ar", "استقبل الرئيس المصري، الخميس، وزير الخارجية الأمريكي.", "2022-12-29", "day"),
    ("ar", "وقع البلدان اتفاقاً في 27 كانون الأول/ديسمبر 2022.", "2022-12-27", "day"),
    ("ar", "أدانت الحكومة أمس الهجوم على السفارة.", "2022-12-30", "day"),
    ("ar", "وصلت طائرة مساعدات يوم ٢٦ ديسمبر إلى المطار.", "2022-12-26", "day"),
    # Chinese
    ("zh", "国家主席29日在北京会见来访的外国元首。", "2022-12-29", "day"),
    ("zh", "两国于2022年12月28日签署联合声明。", "2022-12-28", "day"),
    ("zh", "外交部上周五宣布对相关人员实施制裁。", "2022-12-30", "day"),
    ("zh", "双方于十二月二十七日举行会谈。", "2022-12-27", "day"),
    ("zh", "星期四，两国外长通电话。", "2022-12-29", "day"),
    # Japanese
    ("ja", "首相は28日、来日した大統領と会談した。", "2022-12-28", "day"),
    ("ja", "政府は令和4年12月27日に制裁を決定した。", "2022-12-27", "day"),
    ("ja", "外相は金曜日に電話で協議した。", "2022-12-30", "day"),
    ("ja", "北朝鮮は昨日、ミサイルを発射した。", "2022-12-30", "day"),
    # Urdu
    ("ur", "وزیراعظم نے جمعرات کو چینی صدر سے ملاقات کی۔", "2022-12-29", "day"),
    ("ur", "دونوں ممالک نے ۲۸ دسمبر ۲۰۲۲ کو معاہدہ کیا۔", "2022-12-28", "day"),
    ("ur", "پولیس نے گزشتہ روز مظاہرین کو گرفتار کیا۔", "2022-12-30", "day"),
    # Bengali
    ("bn", "প্রধানমন্ত্রী বুধবার ভারতের প্রধানমন্ত্রীর সঙ্গে বৈঠক করেন।", "2022-12-28", "day"),
    ("bn", "২৭ ডিসেম্বর ২০২২ তারিখে দুই দেশ চুক্তি সই করে।", "2022-12-27", "day"),
    ("bn", "গতকাল বিজিবি পতাকা বৈঠক করেছে।", "2022-12-30", "day"),
    # Portuguese
    ("pt", "O presidente recebeu nesta quinta-feira o chanceler chinês.", "2022-12-29", "day"),
    ("pt", "Os dois países assinaram o acordo em 26 de dezembro de 2022.", "2022-12-26", "day"),
    ("pt", "A polícia deteve ontem três manifestantes.", "2022-12-30", "day"),
    # unknown language: merged lexicons
    (None, "The talks were held on 28 December 2022.", "2022-12-28", "day"),
    ("xx", "Le sommet a eu lieu le 27 décembre 2022.", "2022-12-27", "day"),
]


@pytest.mark.parametrize(("lang", "text", "value", "precision"), RESOLVE_CASES)
def test_resolve_event_date(lang: str | None, text: str, value: str, precision: str) -> None:
    assert resolve_event_date(text, lang, SAT) == (value, precision)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Norway beat Denmark 31-28 in Oslo at 10:30, winning $2,019 in prize money."),
        ("en", "More than 2000 troops and 1,500 tanks were deployed."),
        ("en", "The minister may resign, analysts said, as thousands march in the capital."),
        ("de", "Bayer Leverkusen gewann 2:1, der Kurs stieg um 2,5 Prozent."),
        ("ru", "Цена выросла на 16% годовых, счёт матча 2:0."),
        ("hi", "टीम ने चीन को 3-1 से हराया और दिल्ली चलो मार्च शुरू किया।"),
        ("pt", "Marco Rubio venceu por 4-1 no segundo tempo."),
        ("es", "Viajó a Santo Domingo con 2000 dólares."),
        ("zh", "樊振东以4比1战胜对手，3个月后再战。"),
        ("ja", "大谷は今季10号本塁打を放ち、3日間の休養に入った。"),
        ("ar", "مارس الرئيس ضغوطاً على الحكومة."),
        ("en", "Nothing here refers to any date at all."),
    ],
)
def test_false_positives_yield_no_cue(lang: str, text: str) -> None:
    assert find_date_cues(text, lang, SAT) == []


def test_no_cue_falls_back_to_published() -> None:
    assert resolve_event_date("The talks went well.", "en", SAT) == ("2022-12-31", "published")
    assert resolve_event_date("The talks went well.", "en", None) == (None, "none")


def test_cue_offsets_and_kinds() -> None:
    text = "On Friday, 30 December 2022, the two leaders spoke; yesterday the aides met."
    cues = find_date_cues(text, "en", SAT)
    assert [c.kind for c in cues] == ["weekday", "explicit", "relative"]
    for cue in cues:
        assert isinstance(cue, DateCue)
        assert text[cue.start : cue.end] == cue.text
    assert [c.value for c in cues] == ["2022-12-30", "2022-12-30", "2022-12-30"]
    assert [c.start for c in cues] == sorted(c.start for c in cues)


def test_native_numerals_keep_offsets() -> None:
    text = "बैठक ३० दिसंबर २०२२ को हुई"
    (cue,) = find_date_cues(text, "hi", SAT)
    assert cue.text == "३० दिसंबर २०२२" and cue.value == "2022-12-30"
    (cue,) = find_date_cues("۲۸ دسمبر ۲۰۲۲", "ur", SAT)
    assert cue.value == "2022-12-28"
    (cue,) = find_date_cues("٢٨ ديسمبر ٢٠٢٢", "ar", SAT)
    assert cue.value == "2022-12-28"


def test_day_month_year_inference() -> None:
    jan = datetime.date(2023, 1, 3)
    assert resolve_event_date("They met on December 30.", "en", jan) == ("2022-12-30", "day")
    may = datetime.date(2025, 5, 24)  # a deadline a week ahead stays in the same year
    assert find_date_cues("tariffs from June 1", "en", may)[0].value == "2025-06-01"
    # a past weekday beats a future explicit deadline
    assert resolve_event_date(
        "India on Monday told six diplomats to leave by October 19.",
        "en",
        datetime.date(2024, 10, 15),
    ) == ("2024-10-14", "day")


def test_relative_periods_and_anchored() -> None:
    assert resolve_event_date("Putin will visit Beijing next month.", "en", SAT) == (
        "2023-01",
        "month",
    )
    assert resolve_event_date("Elections are due next year.", "en", SAT) == ("2023", "year")
    cues = find_date_cues("Troops crossed on Monday and withdrew the next day.", "en", SAT)
    assert [c.value for c in cues] == ["2022-12-26", "2022-12-27"]
    assert (
        find_date_cues("政府は同日、抗議した。", "ja", SAT, anchor=datetime.date(2022, 12, 20))[
            0
        ].value
        == "2022-12-20"
    )
    assert find_date_cues("政府は同日、抗議した。", "ja", SAT) == []


def test_near_prefers_cue_closest_to_event() -> None:
    text = "Maduro rejected on Sunday the ultimatum the EU issued on Saturday."
    sun = datetime.date(2019, 1, 28)
    assert resolve_event_date(text, "en", sun) == ("2019-01-27", "day")
    assert resolve_event_date(text, "en", sun, near=text.index("issued")) == ("2019-01-26", "day")


def test_language_codes_are_normalised() -> None:
    assert resolve_event_date("el viernes", "es-MX", SAT) == ("2022-12-30", "day")
    assert resolve_event_date("周五", "zh-Hans", SAT) == ("2022-12-30", "day")


def test_every_data_file_compiles() -> None:
    langs = supported_languages()
    assert {"en", "hi", "es", "fr", "de", "ru", "ar", "zh", "ur", "bn", "pt", "ja"} <= set(langs)
    for lang in langs:
        find_date_cues("2022-12-30", lang, SAT)


def test_seed_hindi_article(shared_dir) -> None:
    text = (shared_dir / "seed" / "putin-xi-hi.txt").read_text(encoding="utf-8")
    first = next(p for p in text.split("\n") if "शुक्रवार" in p)
    sentence = next(s for s in first.split("।") if "शुक्रवार" in s)
    assert resolve_event_date(sentence, "hi", datetime.date(2022, 12, 31)) == ("2022-12-30", "day")
    cues = find_date_cues(sentence, "hi", datetime.date(2022, 12, 31))
    assert any(c.kind == "explicit" and c.text == "30 दिसंबर, 2022" for c in cues)
    # the whole article: the explicit date wins over "अगले साल फरवरी में"
    assert resolve_event_date(text, "hi", datetime.date(2022, 12, 31)) == ("2022-12-30", "day")


def test_published_may_be_datetime_or_iso_string() -> None:
    text = "Ministers met on Friday."
    assert resolve_event_date(text, "en", datetime.datetime(2022, 12, 31, 18, 5)) == (
        "2022-12-30",
        "day",
    )
    assert resolve_event_date(text, "en", "2022-12-31") == ("2022-12-30", "day")  # type: ignore[arg-type]
    assert resolve_event_date("No date here.", "en", "2022-12-31") == ("2022-12-31", "published")  # type: ignore[arg-type]


def test_old_explicit_date_is_background() -> None:
    text = "On Friday, Kyiv marked 1,000 days since the Feb. 24, 2022 invasion with a memorial."
    assert resolve_event_date(text, "en", datetime.date(2024, 11, 23)) == ("2024-11-22", "day")
    assert resolve_event_date(
        "The war began on Feb. 24, 2022.", "en", datetime.date(2024, 11, 23)
    ) == ("2022-02-24", "day")


def test_precomposed_and_decomposed_nukta_letters() -> None:
    decomposed = "\u092b\u093c\u0930\u0935\u0930\u0940"  # फ़रवरी as फ + nukta
    precomposed = "\u095e\u0930\u0935\u0930\u0940"  # फ़रवरी with U+095E
    for month in (decomposed, precomposed):
        (cue,) = find_date_cues(f"सरकार ने 5 {month} 2022 को घोषणा की।", "hi", SAT)
        assert cue.value == "2022-02-05" and cue.text == f"5 {month} 2022"
    bn_decomposed = "\u099c\u09be\u09a8\u09c1\u09af\u09bc\u09be\u09b0\u09bf"  # জানুয়ারি, য + nukta
    bn_precomposed = "\u099c\u09be\u09a8\u09c1\u09df\u09be\u09b0\u09bf"
    for month in (bn_decomposed, bn_precomposed):
        assert find_date_cues(f"৫ {month} ২০২২", "bn", SAT)[0].value == "2022-01-05"
