"""Dutch trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue

CASES = [
    ("De minister zei dat de situatie rustig is.", "01"),
    ("De secretaris-generaal riep beide partijen op tot terughoudendheid.", "02"),
    ("Het kabinet beloofde extra geld voor de wederopbouw.", "03"),
    ("De ministers ontmoetten elkaar in Genève.", "04"),
    ("De premier prees het akkoord.", "05"),
    ("Het bedrijf verkocht helikopters aan de marine.", "06"),
    ("Het Rode Kruis stuurde noodhulp naar het rampgebied.", "07"),
    ("De ontvoerders hebben twee gijzelaars vrijgelaten.", "08"),
    ("Het Openbaar Ministerie is een onderzoek gestart.", "09"),
    ("De vakbond eiste hogere lonen.", "10"),
    ("De oppositie heeft de hervorming scherp bekritiseerd.", "11"),
    ("Het parlement verwierp het voorstel.", "12"),
    ("De woordvoerder dreigde met vergelding.", "13"),
    ("Duizenden mensen demonstreerden in Amsterdam.", "14"),
    ("Het leger heeft extra troepen gestationeerd aan de grens.", "15"),
    ("Brussel heeft nieuwe sancties aangekondigd.", "16"),
    ("De politie heeft drie verdachten gearresteerd.", "17"),
    ("Gewapende mannen hebben een journalist ontvoerd.", "18"),
    ("Straaljagers bombardeerden de stad.", "19"),
    ("Milities richtten een bloedbad aan in het dorp.", "20"),
]


def test_roots():
    check("nl", CASES)


def test_cues():
    assert cue("nl", "@neg", "Het leger heeft de stad niet aangevallen.")
    assert cue("nl", "@intent", "De regering zal hulp sturen.")
    assert cue("nl", "@agent_before", "De minister werd door de oppositie bekritiseerd.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("nl", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("Rusland viel Oekraïne aan.")
    assert ("19", "RUS", "UKR") in _coded("Rusland heeft Oekraïne aangevallen.")
    assert ("19", "RUS", "UKR") in _coded("Oekraïne werd door Rusland aangevallen.")  # passive
    assert ("11", "FRA", "IRN") in _coded("Frankrijk veroordeelde de sancties tegen Iran.")
    assert ("16", "USA", "RUS") in _coded("De Verenigde Staten stelden sancties tegen Rusland in.")
    assert ("05", "TUR", "GRC") in _coded("Turkije en Griekenland ondertekenden een akkoord.")
    assert not _coded("China heeft Taiwan niet aangevallen.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("nl", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Russische troepen vielen Oekraïense posities aan.")
    assert ("111", "NLDGOV", None) in _full("De Nederlandse regering veroordeelde de sancties.")
