"""Spanish trigger lexicon: hand-written sentences, one CAMEO root each."""

from tests.pipeline.events.lexcheck import check, cue

CASES = [
    ("El canciller instó a ambas partes a dialogar.", "02"),
    ("Chile se comprometió a ampliar la cooperación minera.", "03"),
    ("Los presidentes se reunieron en Quito.", "04"),
    ("El ministro elogió el acuerdo.", "05"),
    ("Perú envió ayuda humanitaria a Bolivia.", "07"),
    ("La guerrilla liberó a tres soldados.", "08"),
    ("La fiscalía abrió una investigación contra el alcalde.", "09"),
    ("Los sindicatos exigieron un aumento salarial.", "10"),
    ("Uruguay condenó el golpe.", "11"),
    ("El gobierno rechazó la propuesta.", "12"),
    ("El presidente amenazó con romper relaciones.", "13"),
    ("Miles de personas marcharon en Lima.", "14"),
    ("El ejército desplegó tropas en la frontera.", "15"),
    ("Washington impuso sanciones a Caracas.", "16"),
    ("La policía detuvo a cinco sospechosos.", "17"),
    ("Un grupo armado secuestró a un periodista.", "18"),
    ("La aviación bombardeó posiciones rebeldes.", "19"),
]


def test_roots():
    check("es", CASES)


def test_cues():
    assert cue("es", "@neg", "El ejército no atacó la ciudad.")
    assert cue("es", "@nonpol", "El equipo ganó el partido con dos goles.")
