"""Portuguese trigger lexicon: hand-written sentences, one CAMEO root each."""

from tests.pipeline.events.lexcheck import check, cue

CASES = [
    ("O ministro pediu calma às duas partes.", "02"),
    ("Angola prometeu ampliar a cooperação.", "03"),
    ("Os presidentes reuniram-se em Luanda.", "04"),
    ("O primeiro-ministro elogiou o acordo.", "05"),
    ("Portugal enviou ajuda humanitária a Moçambique.", "07"),
    ("Os raptores libertaram dois reféns.", "08"),
    ("A polícia abriu um inquérito.", "09"),
    ("Os sindicatos exigiram aumentos salariais.", "10"),
    ("Lisboa condenou o ataque.", "11"),
    ("O parlamento rejeitou a proposta.", "12"),
    ("O presidente ameaçou retaliar.", "13"),
    ("Milhares de pessoas manifestaram-se em Luanda.", "14"),
    ("A União impôs sanções ao regime.", "16"),
    ("A polícia deteve quatro suspeitos.", "17"),
    ("Os aviões bombardearam a cidade.", "19"),
]


def test_roots():
    check("pt", CASES)


def test_cues():
    assert cue("pt", "@neg", "O exército não atacou a cidade.")
