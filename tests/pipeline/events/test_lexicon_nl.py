"""Dutch trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from pipeline.events import extract_events_from_text
from tests.pipeline.events.lexcheck import check, cue

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
    """(root, actor1 country, actor2 country) of each event coded in `text`."""
    out = set()
    for e in extract_events_from_text(text, published="2024-05-10", lang="nl"):
        a1 = e.actor1.code[:3] if e.actor1 else None
        a2 = e.actor2.code[:3] if e.actor2 else None
        out.add((e.action.root, a1, a2))
    return out


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("Rusland viel Oekraïne aan.")
    assert ("19", "RUS", "UKR") in _coded("Rusland heeft Oekraïne aangevallen.")
    assert ("19", "RUS", "UKR") in _coded("Oekraïne werd door Rusland aangevallen.")  # passive
    assert ("11", "FRA", "IRN") in _coded("Frankrijk veroordeelde de sancties tegen Iran.")
    assert ("16", "USA", "RUS") in _coded("De Verenigde Staten stelden sancties tegen Rusland in.")
    assert ("05", "TUR", "GRC") in _coded("Turkije en Griekenland ondertekenden een akkoord.")
    assert not _coded("China heeft Taiwan niet aangevallen.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    """(base code, actor1 code, actor2 code) of each event coded in `text`."""
    out = set()
    for e in extract_events_from_text(text, published="2024-05-10", lang="nl"):
        out.add(
            (
                e.action.cameo[:3],
                e.actor1.code if e.actor1 else None,
                e.actor2.code if e.actor2 else None,
            )
        )
    return out


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Russische troepen vielen Oekraïense posities aan.")
    assert ("111", "NLDGOV", None) in _full("De Nederlandse regering veroordeelde de sancties.")
