"""Persian trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue

CASES = [
    ("وزیر گفت که اوضاع آرام است.", "01"),
    ("دبیرکل از طرفین درخواست کرد خویشتن‌داری کنند.", "02"),
    ("دولت وعده داد بودجه بازسازی را تأمین کند.", "03"),
    ("دو وزیر در ژنو دیدار کردند.", "04"),
    ("نخست‌وزیر از این توافق استقبال کرد.", "05"),
    ("شرکت بالگرد به نیروی دریایی فروخت.", "06"),
    ("هلال احمر کمک‌های بشردوستانه به مناطق زلزله‌زده فرستاد.", "07"),
    ("شبه‌نظامیان دو گروگان را آزاد کردند.", "08"),
    ("دادستانی تحقیقات درباره این حادثه را آغاز کرد.", "09"),
    ("کارگران خواستار افزایش دستمزد شدند.", "10"),
    ("اپوزیسیون اصلاحات را به شدت محکوم کرد.", "11"),
    ("مجلس این طرح را رد کرد.", "12"),
    ("سخنگو به تلافی تهدید کرد.", "13"),
    ("هزاران نفر در میدان تظاهرات کردند.", "14"),
    ("ارتش نیروهای تازه‌ای در مرز مستقر کرد.", "15"),
    ("اتحادیه اروپا تحریم‌های جدیدی وضع کرد.", "16"),
    ("پلیس سه نفر را بازداشت کرد.", "17"),
    ("افراد مسلح یک خبرنگار را ربودند.", "18"),
    ("جنگنده‌ها شهر را بمباران کردند.", "19"),
    ("شبه‌نظامیان در روستا کشتار کردند.", "20"),
]


def test_roots():
    check("fa", CASES)


def test_cues():
    assert cue("fa", "@neg", "ارتش به شهر حمله نکرد.")
    assert cue("fa", "@intent", "دولت کمک خواهد فرستاد.")
    assert cue("fa", "@target_after", "ایران اسرائیل را تهدید کرد.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("fa", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("روسیه به اوکراین حمله کرد.")
    assert ("04", "RUS", "CHN") in _coded("پوتین روز سه‌شنبه با شی جین‌پینگ دیدار کرد.")
    assert ("13", "IRN", "ISR") in _coded("ایران اسرائیل را تهدید کرد.")
    assert ("16", "USA", "RUS") in _coded("آمریکا تحریم‌های جدیدی علیه روسیه اعمال کرد.")
    assert ("12", "JPN", "CHN") in _coded("ژاپن پیشنهاد چین را رد کرد.")
    assert not _coded("چین به تایوان حمله نکرد.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("fa", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("195", "ISRMIL", "PSE") in _full("ارتش اسرائیل غزه را بمباران کرد.")
    assert ("111", "IRNGOV", None) in _full("دولت ایران تحریم\u200cها را محکوم کرد.")
