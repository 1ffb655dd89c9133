"""Indonesian trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue

CASES = [
    ("Menteri mengatakan situasi sudah aman.", "01"),
    ("Sekjen mendesak kedua pihak menahan diri.", "02"),
    ("Pemerintah berjanji menambah dana rekonstruksi.", "03"),
    ("Kedua menteri bertemu di Jenewa.", "04"),
    ("Perdana menteri memuji kesepakatan itu.", "05"),
    ("Perusahaan itu menjual helikopter kepada angkatan laut.", "06"),
    ("Palang Merah mengirimkan bantuan kemanusiaan ke daerah banjir.", "07"),
    ("Kelompok bersenjata membebaskan dua sandera.", "08"),
    ("Polisi menyelidiki kasus tersebut.", "09"),
    ("Buruh menuntut kenaikan upah.", "10"),
    ("Oposisi mengkritik keras reformasi itu.", "11"),
    ("Parlemen menolak rancangan undang-undang.", "12"),
    ("Juru bicara mengancam akan membalas.", "13"),
    ("Ribuan mahasiswa berunjuk rasa di depan istana.", "14"),
    ("Tentara mengerahkan pasukan tambahan ke perbatasan.", "15"),
    ("Uni Eropa menjatuhkan sanksi baru.", "16"),
    ("Polisi menangkap tiga tersangka.", "17"),
    ("Orang bersenjata menculik seorang wartawan.", "18"),
    ("Jet tempur membombardir kota itu.", "19"),
    ("Milisi melakukan pembantaian di desa.", "20"),
]


def test_roots():
    check("id", CASES)


def test_cues():
    assert cue("id", "@neg", "Tentara tidak menyerang kota.")
    assert cue("id", "@intent", "Pemerintah akan mengirim bantuan.")
    assert cue("id", "@agent_before", "Menteri itu dikecam oleh oposisi.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("id", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("Rusia menyerang Ukraina.")
    assert ("04", "IDN", "CHN") in _coded("Presiden Jokowi bertemu dengan Xi Jinping di Beijing.")
    assert ("11", "FRA", "IRN") in _coded("Prancis mengecam sanksi terhadap Iran.")
    assert ("16", "USA", "RUS") in _coded("Amerika Serikat menjatuhkan sanksi baru terhadap Rusia.")
    assert ("11", "IDN", "MYS") in _coded("Malaysia dikecam oleh Indonesia.")
    assert not _coded("China tidak menyerang Taiwan.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("id", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Tentara Rusia menyerang posisi Ukraina.")
    assert ("173", "TURCOP", "TURCVL") in _full("Polisi Turki menangkap dua puluh demonstran.")
