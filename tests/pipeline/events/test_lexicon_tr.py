"""Turkish trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue, roots

CASES = [
    ("Bakan, ekonominin büyüdüğünü söyledi.", "01"),
    ("Bakan taraflara itidal çağrısında bulundu.", "02"),
    ("Hükümet yeni fon sağlama sözü verdi.", "03"),
    ("İki bakan Brüksel'de bir araya geldi.", "04"),
    ("Başbakan anlaşmayı memnuniyetle karşıladı.", "05"),
    ("İki şirket enerji anlaşması imzaladı.", "05"),
    ("Şirket helikopter sattı.", "06"),
    ("Belediye depremzedelere insani yardım gönderdi.", "07"),
    ("Militanlar iki rehineyi serbest bıraktı.", "08"),
    ("Savcılık olayla ilgili soruşturma başlattı.", "09"),
    ("Sendika maaş artışı talep etti.", "10"),
    ("Muhalefet reformu sert bir dille eleştirdi.", "11"),
    ("Meclis teklifi reddetti.", "12"),
    ("Bakan misilleme yapmakla tehdit etti.", "13"),
    ("Binlerce kişi meydanda gösteri düzenledi.", "14"),
    ("Ordu sınıra yeni birlikler konuşlandırdı.", "15"),
    ("Brüksel yeni yaptırımlar açıkladı.", "16"),
    ("Polis üç kişiyi gözaltına aldı.", "17"),
    ("Silahlı kişiler bir gazeteciyi kaçırdı.", "18"),
    ("Savaş uçakları kenti bombaladı.", "19"),
    ("Milisler köyde katliam yaptı.", "20"),
]


def test_roots():
    check("tr", CASES)


def test_negated_verb_is_no_trigger():
    assert "19" not in roots("tr", "Ordu köye saldırmadı.")


def test_cues():
    assert cue("tr", "@neg", "Ordu hiçbir hedefe saldırı düzenlemedi.")
    assert cue("tr", "@intent", "Hükümet yardım gönderecek.")
    assert cue("tr", "@agent_after", "Bakan, polis tarafından gözaltına alındı.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("tr", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("Rusya Ukrayna'ya saldırdı.")
    assert ("04", "RUS", "TUR") in _coded("Putin salı günü Ankara'da Erdoğan ile görüştü.")
    assert ("11", "FRA", "RUS") in _coded("Fransa, Rusya'ya yönelik yaptırımları kınadı.")
    assert ("13", "RUS", "JPN") in _coded("Rusya Japonya'yı tehdit etti.")
    assert ("03", "TUR", "RUS") in _coded("Erdoğan yarın Putin ile görüşecek.")  # future: intent
    assert ("16", "USA", "RUS") in _coded("ABD, Rusya'ya yeni yaptırımlar uyguladı.")
    assert not _coded("Çin Tayvan'a saldırmadı.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("tr", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Rus askerleri Ukrayna mevzilerine saldırdı.")
    assert ("111", "TURGOV", None) in _full("Türkiye hükümeti yaptırımları kınadı.")
