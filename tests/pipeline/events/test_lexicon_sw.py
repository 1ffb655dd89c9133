"""Swahili trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue, roots

CASES = [
    ("Waziri alisema kwamba hali ni shwari.", "01"),
    ("Katibu mkuu alitoa wito kwa pande zote kujizuia.", "02"),
    ("Serikali iliahidi fedha zaidi za ujenzi.", "03"),
    ("Mawaziri hao walikutana mjini Arusha.", "04"),
    ("Waziri mkuu alipongeza makubaliano hayo.", "05"),
    ("Kampuni hiyo iliuza helikopta kwa jeshi la wanamaji.", "06"),
    ("Shirika la Msalaba Mwekundu lilituma misaada ya kibinadamu.", "07"),
    ("Wanamgambo waliwaachilia mateka wawili.", "08"),
    ("Polisi wanachunguza tukio hilo.", "09"),
    ("Wafanyakazi walitaka nyongeza ya mishahara.", "10"),
    ("Upinzani ulikosoa vikali mageuzi hayo.", "11"),
    ("Bunge lilikataa muswada huo.", "12"),
    ("Msemaji alitishia kulipiza kisasi.", "13"),
    ("Maelfu ya watu waliandamana katika mji mkuu.", "14"),
    ("Jeshi lilipeleka wanajeshi zaidi mpakani.", "15"),
    ("Umoja wa Ulaya ulitangaza vikwazo vipya.", "16"),
    ("Polisi waliwakamata washukiwa watatu.", "17"),
    ("Watu wenye silaha walimteka nyara mwandishi wa habari.", "18"),
    ("Ndege za kivita zilishambulia mji huo.", "19"),
    ("Wanamgambo walifanya mauaji ya halaiki kijijini.", "20"),
]


def test_roots():
    check("sw", CASES)


def test_negative_verb_is_no_trigger():
    assert "19" not in roots("sw", "Jeshi halikushambulia mji huo.")


def test_cues():
    assert cue("sw", "@neg", "Jeshi halikushambulia mji huo.")
    assert cue("sw", "@intent", "Serikali itatuma misaada.")
    assert cue("sw", "@report", "Kwa mujibu wa polisi, hakuna aliyejeruhiwa.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("sw", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("Urusi ilishambulia Ukraine.")
    assert ("11", "FRA", "IRN") in _coded("Ufaransa ililaani vikwazo dhidi ya Iran.")
    assert ("16", "USA", "RUS") in _coded("Marekani iliwekea Urusi vikwazo vipya.")
    assert ("05", "KEN", "TZA") in _coded("Kenya na Tanzania zilitia saini makubaliano.")
    assert ("13", "IRN", "ISR") in _coded("Iran ilitishia Israeli.")
    assert not _coded("China haikushambulia Taiwan.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("sw", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Wanajeshi wa Urusi walishambulia maeneo ya Ukraine.")
    assert ("111", "KENGOV", None) in _full("Serikali ya Kenya ililaani vikwazo hivyo.")
