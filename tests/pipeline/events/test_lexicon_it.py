"""Italian trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue

CASES = [
    ("Il ministro ha dichiarato che la situazione è grave.", "01"),
    ("Il Papa ha esortato le parti alla moderazione.", "02"),
    ("Roma ha promesso nuovi fondi per la ricostruzione.", "03"),
    ("I due ministri si sono incontrati a Bruxelles.", "04"),
    ("Il premier ha elogiato l'accordo raggiunto.", "05"),
    ("Le due aziende hanno firmato un contratto per esportare gas.", "05"),
    ("Il governo ha venduto elicotteri alla marina.", "06"),
    ("La Regione ha inviato aiuti umanitari alle zone alluvionate.", "07"),
    ("I rapitori hanno liberato due ostaggi.", "08"),
    ("La procura ha aperto un'inchiesta sull'incidente.", "09"),
    ("I sindacati pretendono salari più alti.", "10"),
    ("L'opposizione ha criticato duramente la riforma.", "11"),
    ("Il Parlamento ha respinto la proposta.", "12"),
    ("Il presidente ha minacciato ritorsioni.", "13"),
    ("Migliaia di manifestanti hanno sfilato a Milano.", "14"),
    ("L'esercito ha schierato nuove truppe al confine.", "15"),
    ("Bruxelles ha approvato nuove sanzioni.", "16"),
    ("La polizia ha arrestato tre persone.", "17"),
    ("Uomini armati hanno rapito un giornalista.", "18"),
    ("L'aviazione ha bombardato la città.", "19"),
    ("I miliziani hanno compiuto un massacro nel villaggio.", "20"),
]


def test_roots():
    check("it", CASES)


def test_cues():
    assert cue("it", "@neg", "L'esercito non ha attaccato.")
    assert cue("it", "@intent", "Il governo invierà aiuti.")
    assert cue("it", "@report", "Secondo fonti locali, ci sono vittime.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("it", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("La Russia ha attaccato l'Ucraina.")
    assert ("19", "RUS", "UKR") in _coded("L'Ucraina è stata attaccata dalla Russia.")  # passive
    assert ("04", "RUS", "CHN") in _coded("Putin ha incontrato Xi Jinping a Pechino martedì.")
    assert ("11", "FRA", "IRN") in _coded("La Francia ha condannato le sanzioni contro l'Iran.")
    assert ("13", "IRN", "ISR") in _coded("L'Iran ha minacciato Israele.")
    # "a" before a city is a place, not the target
    assert ("04", "RUS", "FRA") in _coded("Putin ha incontrato Macron a Pechino.")
    assert not _coded("La Cina non ha attaccato Taiwan.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("it", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full(
        "Le truppe russe hanno attaccato le posizioni ucraine."
    )
    assert ("111", "ITAGOV", None) in _full("Il governo italiano ha condannato le sanzioni.")
