"""German trigger lexicon: hand-written sentences, one CAMEO root each."""

from tests.pipeline.events.lexcheck import check, cue

CASES = [
    ("Der Minister hat beide Seiten zur Mäßigung aufgerufen.", "02"),
    ("Wien hat weitere Hilfe zugesagt.", "03"),
    ("Die Außenminister sind in Prag zusammengetroffen.", "04"),
    ("Die Kanzlerin lobte die Einigung.", "05"),
    ("Die Regierung schickte Hilfsgüter in das Erdbebengebiet.", "07"),
    ("Die Entführer haben zwei Geiseln freigelassen.", "08"),
    ("Die Staatsanwaltschaft hat Ermittlungen eingeleitet.", "09"),
    ("Die Gewerkschaft hat höhere Löhne gefordert.", "10"),
    ("Paris hat den Angriff scharf kritisiert.", "11"),
    ("Das Parlament hat den Vorschlag abgelehnt.", "12"),
    ("Der Präsident hat mit Vergeltung gedroht.", "13"),
    ("Tausende demonstrierten in Leipzig.", "14"),
    ("Die Armee hat Truppen verlegt und Manöver begonnen.", "15"),
    ("Brüssel hat neue Sanktionen verhängt.", "16"),
    ("Die Polizei hat zwei Männer festgenommen.", "17"),
    ("Bewaffnete haben einen Journalisten entführt.", "18"),
    ("Die Luftwaffe flog Luftangriffe auf die Stadt.", "19"),
]


def test_roots():
    check("de", CASES)


def test_cues():
    assert cue("de", "@neg", "Die Armee hat keine Ziele angegriffen.")
