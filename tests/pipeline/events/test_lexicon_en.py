"""English trigger lexicon: hand-written sentences, one CAMEO root each."""

from tests.pipeline.events.lexcheck import check, cue, roots

CASES = [
    ("The foreign minister urged both sides to show restraint.", "02"),
    ("Tokyo pledged to expand security cooperation with Manila.", "03"),
    ("The two presidents held talks in Ankara.", "04"),
    ("The chancellor praised the reforms announced by Warsaw.", "05"),
    ("Berlin will airdrop food over the region.", "07"),
    ("Rebels released twelve hostages on Monday.", "08"),
    ("Prosecutors opened an investigation into the minister.", "09"),
    ("The opposition demanded early elections.", "10"),
    ("Seoul condemned the missile launch.", "11"),
    ("Hanoi rejected the proposal.", "12"),
    ("The general threatened to retaliate.", "13"),
    ("Thousands of nurses marched to parliament.", "14"),
    ("The navy deployed two frigates to the strait.", "15"),
    ("Canada imposed sanctions on three banks.", "16"),
    ("Police arrested the mayor.", "17"),
    ("Gunmen kidnapped an engineer.", "18"),
    ("Jets carried out air strikes on the town.", "19"),
    ("Soldiers massacred villagers.", "20"),
]


def test_roots():
    check("en", CASES)


def test_cues():
    assert cue("en", "@neg", "The army did not attack the village.")
    assert cue("en", "@intent", "Ottawa plans to send more troops.")
    assert cue("en", "@nonpol", "The striker scored twice as the league leaders won the match.")


def test_stems_do_not_overmatch():
    assert "14" not in roots("en", "The talks resumed in March.")  # not "march"
    assert "06" not in roots("en", "It is an important step.")  # not "import"
    assert "04" not in roots("en", "They called Seoul a hostile state.")  # not "host"
