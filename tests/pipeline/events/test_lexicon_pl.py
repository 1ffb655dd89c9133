"""Polish trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue

CASES = [
    ("Minister powiedział, że sytuacja jest stabilna.", "01"),
    ("Sekretarz generalny wezwał strony do powściągliwości.", "02"),
    ("Rząd obiecał nowe środki na odbudowę.", "03"),
    ("Ministrowie spotkali się w Genewie.", "04"),
    ("Premier pochwalił porozumienie.", "05"),
    ("Firma sprzedała śmigłowce marynarce wojennej.", "06"),
    ("Czerwony Krzyż wysłał pomoc humanitarną na tereny powodziowe.", "07"),
    ("Porywacze uwolnili dwóch zakładników.", "08"),
    ("Prokuratura wszczęła śledztwo w sprawie wypadku.", "09"),
    ("Związkowcy zażądali wyższych płac.", "10"),
    ("Opozycja ostro skrytykowała reformę.", "11"),
    ("Sejm odrzucił projekt ustawy.", "12"),
    ("Rzecznik zagroził odwetem.", "13"),
    ("Tysiące ludzi protestowały w Warszawie.", "14"),
    ("Armia rozmieściła dodatkowe oddziały przy granicy.", "15"),
    ("Bruksela nałożyła nowe sankcje.", "16"),
    ("Policja zatrzymała trzech podejrzanych.", "17"),
    ("Uzbrojeni mężczyźni porwali dziennikarza.", "18"),
    ("Samoloty zbombardowały miasto.", "19"),
    ("Bojówki dokonały masakry we wsi.", "20"),
]


def test_roots():
    check("pl", CASES)


def test_cues():
    assert cue("pl", "@neg", "Armia nie zaatakowała miasta.")
    assert cue("pl", "@intent", "Rząd zamierza wysłać pomoc.")
    assert cue("pl", "@report", "Według policji nikt nie został ranny.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("pl", text)


def test_end_to_end():
    # Polish case forms of country names (Ukrainę, Rosji) are not in the actor lexicon yet,
    # so these sentences use nominative names and persons.
    assert ("04", "RUS", "CHN") in _coded("Putin spotkał się z Xi Jinpingiem we wtorek w Pekinie.")
    assert ("05", "TUR", "GRC") in _coded("Turcja i Grecja podpisały umowę.")
    assert ("19", "IRN", "ISR") in _coded("Izrael został zaatakowany przez Iran.")  # passive
    assert ("03", "RUS", "CHN") in _coded("Putin spotka się z Xi Jinpingiem w Pekinie.")  # future
    assert ("11", "FRA", None) in _coded("Francja potępiła decyzję.")
    assert ("19", "RUS", None) in _coded("Rosja zaatakowała w nocy.")
    assert not _coded("Chiny nie zaatakowały.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("pl", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Rosyjskie wojska zaatakowały ukraińskie pozycje.")
    assert ("163", "USA", "RUS") in _full("Stany Zjednoczone nałożyły nowe sankcje na Rosję.")
