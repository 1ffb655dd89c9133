"""Actor and location dictionaries: hand-written sentences per language (not eval items)."""

from __future__ import annotations

import datetime

import pytest

from pipeline.events.actors import ActorMention, find_actors, find_locations, lexicon_stats

D2024 = datetime.date(2024, 3, 1)


def codes(text: str, lang: str, day: datetime.date | None = D2024) -> list[str]:
    return [m.code for m in find_actors(text, lang, day)]


def by_text(text: str, lang: str, day: datetime.date | None = D2024) -> dict[str, str]:
    return {m.text: m.code for m in find_actors(text, lang, day)}


# ---------------------------------------------------------------- API contract
def test_mentions_are_sorted_non_overlapping_and_offsets_index_the_text() -> None:
    text = "Chinese troops met Indian police while the Kremlin and the EU watched."
    ms = find_actors(text, "en", D2024)
    assert all(isinstance(m, ActorMention) for m in ms)
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    for a, b in zip(ms, ms[1:], strict=False):
        assert a.end <= b.start
    for m in ms:
        assert text[m.start : m.end] == m.text


def test_empty_text_and_unknown_language() -> None:
    assert find_actors("", "hi") == []
    assert find_locations("", "hi") == []
    # a language without its own file still gets CLDR names, English glosses and shared names
    assert "RUS" in codes("Россия", "be") or "RUS" in codes("Russia and Putin", "xx")
    assert codes("Vladimir Putin", "xx") == ["RUSGOV"]


# ---------------------------------------------------------------- English
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chinese troops crossed the line.", ["CHNMIL"]),
        ("Indian police arrested two men.", ["INDCOP"]),
        ("India's External Affairs Ministry said.", ["INDGOV"]),
        ("the Russian Defence Ministry said", ["RUSGOV"]),
        ("the army of Pakistan", ["PAKMIL"]),
        ("Hong Kong police fired tear gas", ["HKGCOP"]),
        ("rebels attacked the town", ["---REB"]),
        ("Hamas militants fired rockets", ["PSEREB"]),
        ("Hezbollah and the Houthis", ["LBNREB", "YEMREB"]),
        ("the Kremlin and the White House", ["RUSGOV", "USAGOV"]),
        ("NATO, the European Union and the United Nations", ["IGOWSTNAT", "IGOEUREEC", "IGOUNO"]),
        ("the WHO, the IMF and the World Bank", ["IGOUNOWHO", "IGOIMF", "IGOWBK"]),
        ("Pakistani Taliban attacked", ["PAKREB"]),
        ("South Korean prosecutors raided Samsung", ["KORJUD", "KORBUS"]),
    ],
)
def test_english(text: str, expected: list[str]) -> None:
    assert codes(text, "en") == expected


def test_lowercase_common_words_are_not_proper_nouns() -> None:
    assert codes("the fine china and the ripe maduro fruit", "en") == []
    assert codes("Maduro spoke", "en", datetime.date(2020, 1, 1)) == ["VENGOV"]


def test_acronyms_are_case_sensitive() -> None:
    assert codes("let us go", "en") == []
    assert codes("US troops", "en") == ["USAMIL"]


# ---------------------------------------------------------------- persons and dates
def test_person_code_depends_on_term_of_office() -> None:
    assert codes("Merz said", "en", datetime.date(2025, 6, 1)) == ["DEUGOV"]
    merkel = find_actors("Merkel said", "en", datetime.date(2024, 6, 1))
    assert [(m.code, m.role, m.country, m.kind) for m in merkel] == [("DEU", None, "DEU", "person")]
    assert codes("Trump", "en", datetime.date(2019, 1, 1)) == ["USAGOV"]
    assert codes("Trump", "en", datetime.date(2022, 1, 1)) == ["USA"]
    assert codes("Trump", "en", datetime.date(2025, 2, 1)) == ["USAGOV"]


def test_org_code_depends_on_date() -> None:
    assert codes("the Taliban", "en", datetime.date(2019, 1, 1)) == ["AFGREB"]
    assert codes("the Taliban", "en", datetime.date(2023, 1, 1)) == ["AFGGOV"]


def test_igo_officials() -> None:
    assert codes("Stoltenberg said", "en", datetime.date(2020, 1, 1)) == ["IGOWSTNAT"]
    assert codes("Guterres said", "en", D2024) == ["IGOUNO"]
    assert codes("Rutte", "en", datetime.date(2020, 1, 1)) == ["NLDGOV"]
    assert codes("Rutte", "en", datetime.date(2025, 1, 1)) == ["IGOWSTNAT"]


def test_title_merges_into_person() -> None:
    ms = find_actors("Chinese President Xi Jinping met President Vladimir Putin.", "en", D2024)
    assert [(m.text, m.code, m.kind) for m in ms] == [
        ("Chinese President Xi Jinping", "CHNGOV", "person"),
        ("President Vladimir Putin", "RUSGOV", "person"),
    ]


def test_persons_in_many_scripts() -> None:
    day = datetime.date(2023, 5, 1)
    for text, lang in [
        ("पुतिन", "hi"),
        ("Путин", "ru"),
        ("Путина", "ru"),
        ("بوتين", "ar"),
        ("普京", "zh"),
        ("プーチン", "ja"),
        ("পুতিন", "bn"),
        ("پیوٹن", "ur"),
        ("Putín", "es"),
        ("Poutine", "fr"),
    ]:
        assert codes(text, lang, day) == ["RUSGOV"], (text, lang)


# ---------------------------------------------------------------- capitals and locations
def test_capitals_are_government_metonyms_and_places() -> None:
    ms = find_actors("Moscow and Beijing agreed; New Delhi and Kyiv objected.", "en", D2024)
    assert [(m.code, m.kind) for m in ms] == [
        ("RUSGOV", "capital"),
        ("CHNGOV", "capital"),
        ("INDGOV", "capital"),
        ("UKRGOV", "capital"),
    ]
    locs = find_locations("Clashes in Kharkiv and the Gaza Strip; talks in Paris.", "en")
    assert [(loc.name, loc.country, loc.kind) for loc in locs] == [
        ("Kharkiv", "UKR", "city"),
        ("Gaza Strip", "PSE", "region"),
        ("Paris", "FRA", "city"),
    ]


def test_locations_include_countries_in_other_scripts() -> None:
    locs = find_locations("मॉस्को में रूस और चीन के नेता मिले", "hi")
    assert [(loc.country, loc.kind) for loc in locs] == [
        ("RUS", "city"),
        ("RUS", "country"),
        ("CHN", "country"),
    ]
    assert [loc.country for loc in find_locations("北京和莫斯科", "zh")] == ["CHN", "RUS"]


# ---------------------------------------------------------------- Hindi
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("भारतीय सेना ने टैंक तैनात किए", ["INDMIL"]),
        ("चीन की सेना पीछे हटी", ["CHNMIL"]),
        ("रूस के राष्ट्रपति ने कहा", ["RUSGOV"]),
        ("भारत सरकार ने कहा", ["INDGOV"]),
        ("पाकिस्तानी पुलिस ने गिरफ्तार किया", ["PAKCOP"]),
        ("यूरोपीय संघ और नाटो", ["IGOEUREEC", "IGOWSTNAT"]),
        ("फ़्रांस और फ्रांस", ["FRA", "FRA"]),
        ("विदेश मंत्री एस जयशंकर ने कहा", ["INDGOV"]),
        ("रूसी तेल", ["RUS"]),
    ],
)
def test_hindi(text: str, expected: list[str]) -> None:
    assert codes(text, "hi") == expected


def test_hindi_matches_are_whole_words() -> None:
    # रूस must not match inside रूसी (vowel sign); रूसी is its own demonym entry
    assert [(m.text, m.kind) for m in find_actors("रूसी", "hi", D2024)] == [("रूसी", "demonym")]


def test_parenthetical_english_gloss_is_not_a_second_actor() -> None:
    text = (
        "रूसी नेता व्लादिमीर पुतिन (Russian President Vladimir Putin) ने"
        " चीनी राष्ट्रपति शी जिनपिंग (Chinese President Xi Jinping) से कहा"
    )
    ms = find_actors(text, "hi", datetime.date(2022, 12, 30))
    assert [(m.text, m.code) for m in ms] == [
        ("रूसी नेता व्लादिमीर पुतिन", "RUSGOV"),
        ("चीनी राष्ट्रपति शी जिनपिंग", "CHNGOV"),
    ]


def test_gloss_upgrades_a_role_only_mention() -> None:
    ms = find_actors("रक्षा मंत्री (Rajnath Singh) ने कहा", "hi", D2024)
    assert [(m.text, m.code) for m in ms] == [("रक्षा मंत्री", "INDGOV")]


def test_seed_hindi_article(shared_dir) -> None:
    text = (shared_dir / "seed" / "putin-xi-hi.txt").read_text(encoding="utf-8")
    ms = find_actors(text, "hi", datetime.date(2022, 12, 31))
    got = {m.code for m in ms}
    assert {"RUSGOV", "CHNGOV", "RUS", "CHN", "UKR"} <= got
    putin = [m for m in ms if m.name == "Vladimir Putin"]
    xi = [m for m in ms if m.name == "Xi Jinping"]
    assert putin and all(m.code == "RUSGOV" for m in putin)
    assert xi and all(m.code == "CHNGOV" for m in xi)
    if "यूरोपीय" in text:
        assert "IGOEUREEC" in got


# ---------------------------------------------------------------- other languages
@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("es", "el ejército ruso y la policía española", ["RUSMIL", "ESPCOP"]),
        ("es", "el Gobierno de China y las tropas estadounidenses", ["CHNGOV", "USAMIL"]),
        ("es", "la Unión Europea y la ONU", ["IGOEUREEC", "IGOUNO"]),
        ("pt", "o governo brasileiro e a polícia portuguesa", ["BRAGOV", "PRTCOP"]),
        ("pt", "o Exército da Rússia", ["RUSMIL"]),
        ("fr", "l'armée française et le gouvernement de la Chine", ["FRAMIL", "CHNGOV"]),
        ("fr", "les forces israéliennes et la police allemande", ["ISRMIL", "DEUCOP"]),
        ("de", "die russische Armee und die Regierung Chinas", ["RUSMIL", "CHNGOV"]),
        ("de", "die Bundesregierung und die US-Armee", ["DEUGOV", "USAMIL"]),
        ("de", "Russlands Präsident und die türkischen Streitkräfte", ["RUSGOV", "TURMIL"]),
        ("ru", "российская армия и армия России", ["RUSMIL", "RUSMIL"]),
        ("ru", "президент Китая, МИД Индии, полиция Франции", ["CHNGOV", "INDGOV", "FRACOP"]),
        ("ru", "власти Украины и Евросоюз", ["UKRGOV", "IGOEUREEC"]),
        ("ar", "الجيش الروسي والحكومة الصينية", ["RUSMIL", "CHNGOV"]),
        ("ar", "وزارة الخارجية الأمريكية والشرطة المصرية", ["USAGOV", "EGYCOP"]),
        ("ar", "وروسيا وللصين وبالهند", ["RUS", "CHN", "IND"]),
        ("ar", "الاتحاد الأوروبي وحلف الناتو", ["IGOEUREEC", "IGOWSTNAT"]),
        ("zh", "中国军队和美国国务院", ["CHNMIL", "USAGOV"]),
        ("zh", "俄罗斯总统和俄军以及美方", ["RUSGOV", "RUSMIL", "USAGOV"]),
        ("zh", "欧盟和联合国", ["IGOEUREEC", "IGOUNO"]),
        ("zh", "发展中国家", []),
        ("ja", "中国軍とロシア政府、米軍", ["CHNMIL", "RUSGOV", "USAMIL"]),
        ("ja", "欧州連合と国連", ["IGOEUREEC", "IGOUNO"]),
        ("ur", "چینی فوج اور بھارت کی حکومت", ["CHNMIL", "INDGOV"]),
        ("ur", "پاکستانی پولیس اور یورپی یونین", ["PAKCOP", "IGOEUREEC"]),
        ("bn", "ভারতীয় সেনাবাহিনী ও বাংলাদেশের পুলিশ", ["INDMIL", "BGDCOP"]),
        ("bn", "ভারতের সরকার ও ইউরোপীয় ইউনিয়ন", ["INDGOV", "IGOEUREEC"]),
        ("it", "l'esercito russo e il governo italiano", ["RUSMIL", "ITAGOV"]),
        ("tr", "Rus ordusu ve İsrail hükümeti", ["RUSMIL", "ISRGOV"]),
        ("ko", "러시아군과 중국 정부", ["RUSMIL", "CHNGOV"]),
        ("uk", "російська армія і уряд України", ["RUSMIL", "UKRGOV"]),
    ],
)
def test_composition_by_language(lang: str, text: str, expected: list[str]) -> None:
    assert codes(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "code"),
    [
        ("ru", "Кремль заявил", "RUSGOV"),
        ("ar", "قال الكرملين", "RUSGOV"),
        ("zh", "克里姆林宫表示", "RUSGOV"),
        ("ja", "ホワイトハウスは", "USAGOV"),
        ("hi", "व्हाइट हाउस ने कहा", "USAGOV"),
        ("bn", "ঢাকা জানিয়েছে", "BGDGOV"),
        ("de", "Moskau erklärte", "RUSGOV"),
        ("es", "Pekín respondió", "CHNGOV"),
        ("fr", "l'Élysée a annoncé", "FRAGOV"),
    ],
)
def test_metonyms_by_language(lang: str, text: str, code: str) -> None:
    assert codes(text, lang) == [code]


def test_inflected_country_names() -> None:
    assert codes("Russlands und Chinas", "de") == ["RUS", "CHN"]
    assert codes("России, Россией, Китаю, Германии", "ru") == ["RUS", "RUS", "CHN", "DEU"]
    assert codes("रूसी और चीनी", "hi") == ["RUS", "CHN"]
    assert codes("rusas y francesas", "es") == ["RUS", "FRA"]
    assert codes("ভারতের ও চীনের", "bn") == ["IND", "CHN"]


def test_core_languages_have_demonyms_and_roles() -> None:
    for lang in ("en", "hi", "es", "fr", "de", "ru", "ar", "zh", "ur", "bn", "pt", "ja"):
        stats = lexicon_stats(lang)
        assert stats["country"] >= 240, lang
        assert stats["person"] >= 250, lang
        assert stats["igo"] >= 10, lang


def test_iso3_codes_are_current_not_withdrawn() -> None:
    assert codes("La Germania e il Myanmar e lo Yemen", "it") == ["DEU", "MMR", "YEM"]
    assert codes("Germany, Myanmar, Yemen, DR Congo", "en") == ["DEU", "MMR", "YEM", "COD"]


def test_turkish_dotted_capital_i() -> None:
    assert codes("İtalya ve İspanya", "tr") == ["ITA", "ESP"]


def test_english_false_friends_are_not_roles_elsewhere() -> None:
    assert codes("à court terme, la media hora", "fr") == []
    assert codes("la mayor parte", "es") == []


def test_on_date_accepts_datetime_and_iso_string() -> None:
    assert codes("Merz", "en", datetime.datetime(2025, 6, 1, 12, 0)) == ["DEUGOV"]  # type: ignore[arg-type]
    assert [m.code for m in find_actors("Merkel", "en", "2015-01-01")] == ["DEUGOV"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("nl", "het Russische leger en de regering van Oekraïne", ["RUSMIL", "UKRGOV"]),
        ("pl", "rosyjscy żołnierze i rząd Ukrainy", ["RUSMIL", "UKRGOV"]),
        ("vi", "Quân đội Nga và chính phủ Mỹ", ["RUSMIL", "USAGOV"]),
        ("sw", "Jeshi la Urusi na serikali ya Kenya", ["RUSMIL", "KENGOV"]),
        ("fa", "ارتش روسیه و دولت آمریکا", ["RUSMIL", "USAGOV"]),
        ("id", "tentara Rusia dan pemerintah Amerika Serikat", ["RUSMIL", "USAGOV"]),
    ],
)
def test_more_languages(lang: str, text: str, expected: list[str]) -> None:
    assert codes(text, lang) == expected


def test_places_modify_roles_but_embassies_are_not_owned_by_their_city() -> None:
    assert codes("Delhi police and Kharkiv residents", "en") == ["INDCOP", "UKRCVL"]
    assert codes("北京の大使館", "ja") == ["CHNGOV", "---GOV"]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "anti-government protesters and pro-Russian separatists", ["---CVL", "---REB"]),
        ("pt", "Forças de Defesa e Segurança moçambicanas", ["MOZMIL"]),
        ("ar", "وزير الأمن القومي الإسرائيلي", ["ISRGOV"]),
        ("es", "el Gobierno dijo que los rusos", ["---GOV", "RUS"]),
        ("de", "die russische Luftwaffe und die Luftwaffe", ["RUSMIL", "DEUMIL"]),
        ("bn", "ভারতও বাংলাদেশেও", ["IND", "BGD"]),
        ("tr", "Rus ordusunun saldırısı ve İsrail polisi", ["RUSMIL", "ISRCOP"]),
        ("uk", "Росії, Україною, з Путіним, російських військ", ["RUS", "UKR", "RUSGOV", "RUSMIL"]),
        ("hi", "रूसियों और भारतीयों ने", ["RUS", "IND"]),
    ],
)
def test_inflection_and_composition_rules(lang: str, text: str, expected: list[str]) -> None:
    assert codes(text, lang) == expected


def test_language_codes_are_normalised() -> None:
    assert codes("o governo brasileiro", "pt-BR") == ["BRAGOV"]
    assert codes("中国军队", "zh_Hant") == ["CHNMIL"]
    assert codes("Russia", "") == ["RUS"]


def test_all_spellings_of_an_actor_follow_its_terms() -> None:
    # the Urdu spelling is listed on the PM row only; the opposition row still applies
    assert codes("عمران خان", "ur", datetime.date(2024, 11, 25)) == ["PAKOPP"]
    assert codes("عمران خان", "ur", datetime.date(2020, 1, 1)) == ["PAKGOV"]


def test_org_with_linker_and_role_keeps_the_org_code() -> None:
    assert codes("कांग्रेस के कार्यकर्ता", "hi") == ["INDOPP"]
    assert codes("Hamas's fighters", "en") == ["PSEREB"]


def test_matcher_cache_round_trip(tmp_path, monkeypatch) -> None:
    from pipeline.events import actors

    monkeypatch.setenv("NEWSBEAM_CACHE_DIR", str(tmp_path))
    actors._matcher.cache_clear()
    try:
        built = codes("Chinese troops and Merz", "en", datetime.date(2025, 6, 1))
        assert list((tmp_path / "actors").glob("en-*.pickle"))
        actors._matcher.cache_clear()
        assert codes("Chinese troops and Merz", "en", datetime.date(2025, 6, 1)) == built
        assert built == ["CHNMIL", "DEUGOV"]
    finally:
        actors._matcher.cache_clear()


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("en", "fired a missile towards the Sea of Japan", []),
        ("vi", "người Nga và người Palestine", ["RUSCVL", "PSECVL"]),
        ("ko", "러시아인과 미군", ["RUSCVL", "USAMIL"]),
        ("fa", "کره شمالی و نیروهای اسرائیلی", ["PRK", "ISRMIL"]),
        ("pl", "rozmowa z Zełenskim i Putinem", ["UKRGOV", "RUSGOV"]),
        ("it", "il Consiglio di sicurezza dell'Onu", ["IGOUNO"]),
    ],
)
def test_probe_gaps_from_the_engine(lang: str, text: str, expected: list[str]) -> None:
    assert codes(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "code"),
    [
        ("ar", "المتحدث باسم وزارة الخارجية القطرية", "QATGOV"),
        ("en", "a spokesman for the Russian Foreign Ministry", "RUSGOV"),
        ("es", "el portavoz del Gobierno español", "ESPGOV"),
        ("hi", "चीन के विदेश मंत्रालय के प्रवक्ता", "CHNGOV"),
    ],
)
def test_bare_role_takes_the_country_of_the_role_it_belongs_to(
    lang: str, text: str, code: str
) -> None:
    assert codes(text, lang) == [code]
