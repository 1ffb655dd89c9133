"""French trigger lexicon: hand-written sentences, one CAMEO root each."""

from tests.pipeline.events.lexcheck import check, cue

CASES = [
    ("Le ministre a appelé les deux camps au calme.", "02"),
    ("Rome s'est engagé à renforcer la coopération navale.", "03"),
    ("Les deux présidents se sont entretenus à Dakar.", "04"),
    ("Le premier ministre a salué l'accord.", "05"),
    ("La Belgique a envoyé une aide humanitaire.", "07"),
    ("Les ravisseurs ont libéré deux otages.", "08"),
    ("Le parquet a ouvert une enquête.", "09"),
    ("Les syndicats ont exigé le retrait du texte.", "10"),
    ("Alger a condamné l'attaque.", "11"),
    ("Le gouvernement a rejeté la proposition.", "12"),
    ("Le président a menacé de sanctions.", "13"),
    ("Des milliers de personnes ont manifesté à Lyon.", "14"),
    ("L'armée a déployé des chars.", "15"),
    ("L'Union a adopté des sanctions contre Minsk.", "16"),
    ("La police a arrêté trois suspects.", "17"),
    ("Des hommes armés ont enlevé un prêtre.", "18"),
    ("L'aviation a bombardé la ville.", "19"),
]


def test_roots():
    check("fr", CASES)


def test_cues():
    assert cue("fr", "@neg", "L'armée n'a pas attaqué.")
