"""Date cues in the further languages (it, tr, uk, pl, nl, id, vi, ko, fa) and special calendars."""

from __future__ import annotations

import datetime

import pytest

from pipeline.events.dates import find_date_cues, resolve_event_date

THU = datetime.date(2024, 3, 14)  # a Thursday

CASES = [
    (
        "it",
        "Il presidente ha ricevuto martedì al Quirinale il re di Giordania.",
        "2024-03-12",
        "day",
    ),
    ("it", "Ieri la polizia ha arrestato tre attivisti a Roma.", "2024-03-13", "day"),
    ("it", "L'accordo è stato firmato il 1° marzo 2024 a Roma.", "2024-03-01", "day"),
    ("tr", "Dışişleri Bakanı salı günü Atina'da Yunan mevkidaşıyla görüştü.", "2024-03-12", "day"),
    ("tr", "Cumhurbaşkanı dün Irak Başbakanı ile telefonda görüştü.", "2024-03-13", "day"),
    ("tr", "Ordu 12 Mart'ta hava saldırısı düzenledi.", "2024-03-12", "day"),
    ("uk", "Президент у вівторок провів зустріч з прем'єром Польщі.", "2024-03-12", "day"),
    ("uk", "Російські війська в ніч на 13 березня атакували Одесу.", "2024-03-13", "day"),
    ("uk", "Переговори відбулися в п'ятницю.", "2024-03-08", "day"),
    ("pl", "Premier spotkał się we wtorek z prezydentem Francji.", "2024-03-12", "day"),
    ("pl", "Wczoraj policja zatrzymała 20 rolników.", "2024-03-13", "day"),
    ("pl", "Umowę podpisano 11 marca 2024 r. w Warszawie.", "2024-03-11", "day"),
    ("nl", "De premier sprak dinsdagavond met de Oekraïense president.", "2024-03-12", "day"),
    ("nl", "De politie arresteerde gisteren tientallen demonstranten.", "2024-03-13", "day"),
    (
        "id",
        "Presiden bertemu Perdana Menteri Australia pada Selasa (12/3/2024) di Istana.",
        "2024-03-12",
        "day",
    ),
    ("id", "Polisi menangkap 15 orang pada Rabu (13/3) di Jakarta.", "2024-03-13", "day"),
    ("id", "Kedua menteri bertemu minggu lalu.", "2024-03", "month"),
    ("vi", "Thủ tướng đã tiếp Đại sứ Nhật Bản chiều 12/3 tại Hà Nội.", "2024-03-12", "day"),
    ("vi", "Hôm thứ Ba, Bộ Ngoại giao Trung Quốc phản đối.", "2024-03-12", "day"),
    ("vi", "Hai nước ký thỏa thuận ngày 11 tháng 3 năm 2024.", "2024-03-11", "day"),
    ("ko", "대통령은 12일 일본 총리와 정상회담을 가졌다.", "2024-03-12", "day"),
    ("ko", "북한은 지난 13일 탄도미사일을 발사했다.", "2024-03-13", "day"),
    ("ko", "양국은 2024년 3월 11일 협정에 서명했다.", "2024-03-11", "day"),
    ("ko", "장관은 화요일 기자회견을 열었다.", "2024-03-12", "day"),
    ("fa", "وزیر امور خارجه روز سه‌شنبه با همتای روس خود دیدار کرد.", "2024-03-12", "day"),
    ("fa", "رئیس‌جمهور ۲۲ اسفند ۱۴۰۲ به مسکو سفر کرد.", "2024-03-12", "day"),
    ("fa", "دیروز پلیس معترضان را بازداشت کرد.", "2024-03-13", "day"),
    ("fa", "دو کشور ۲۰ اسفند توافق کردند.", "2024-03-10", "day"),
]


@pytest.mark.parametrize(("lang", "text", "value", "precision"), CASES)
def test_more_languages(lang: str, text: str, value: str, precision: str) -> None:
    assert resolve_event_date(text, lang, THU) == (value, precision)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("tr", "Takım maçı 3-1 kazandı, Pazar yerinde kutlama yapıldı."),
        ("vi", "Đây là lần thứ hai đội tuyển vô địch với tỷ số 2-1."),
        ("id", "Harga naik 2,5 persen dalam seminggu."),
        ("de", "Der Verein stieg in die 2. Liga ab, 2.5 Tore pro Spiel."),
    ],
)
def test_more_false_positives(lang: str, text: str) -> None:
    assert find_date_cues(text, lang, THU) == []


def test_weekend_is_month_precision() -> None:
    assert resolve_event_date("Thousands protested over the weekend.", "en", THU) == (
        "2024-03",
        "month",
    )
    assert resolve_event_date("上周末，数千人游行。", "zh", datetime.date(2024, 3, 1)) == (
        "2024-02",
        "month",
    )


def test_cjk_relative_month_prefix_and_numerals() -> None:
    assert resolve_event_date("上月27日，双方举行会谈。", "zh", THU) == ("2024-02-27", "day")
    assert resolve_event_date("先月27日に会談した。", "ja", THU) == ("2024-02-27", "day")
    assert resolve_event_date("二〇二四年三月十二日，两国签署协议。", "zh", THU) == (
        "2024-03-12",
        "day",
    )
    assert resolve_event_date("民國113年3月12日", "zh", THU) == ("2024-03-12", "day")
    assert resolve_event_date("令和元年5月1日に即位", "ja", THU) == ("2019-05-01", "day")


def test_day_only_and_german_numeric() -> None:
    assert resolve_event_date("O ministro recebeu no dia 12 o embaixador.", "pt", THU) == (
        "2024-03-12",
        "day",
    )
    assert resolve_event_date("Am 12.3. traf Scholz den Präsidenten.", "de", THU) == (
        "2024-03-12",
        "day",
    )
    assert resolve_event_date("대통령은 오는 20일 방미할 예정이다.", "ko", THU) == (
        "2024-03-20",
        "day",
    )


WEEKDAY_PHRASINGS = [
    ("it", "Nella notte tra sabato e domenica droni russi hanno colpito Odessa.", "2024-03-09"),
    ("it", "Sabato scorso migliaia di persone hanno manifestato a Milano.", "2024-03-09"),
    ("tr", "Dışişleri Bakanlığı pazartesi yaptığı açıklamada saldırıyı kınadı.", "2024-03-11"),
    ("tr", "Cumhurbaşkanı Cuma günü Azerbaycan Cumhurbaşkanı ile görüştü.", "2024-03-08"),
    ("uk", "У п’ятницю ввечері російські дрони атакували Харків.", "2024-03-08"),
    ("pl", "W środę minister spraw zagranicznych spotkał się z ambasadorem.", "2024-03-13"),
    ("pl", "W piątek wieczorem policja zatrzymała trzech podejrzanych.", "2024-03-08"),
    ("nl", "Zaterdagavond demonstreerden duizenden mensen in Amsterdam.", "2024-03-09"),
    ("id", "Pada hari Minggu, Presiden meresmikan proyek bendungan.", "2024-03-10"),
    ("vi", "Sáng 12/3, Chủ tịch nước tiếp Đại sứ Hoa Kỳ.", "2024-03-12"),
    ("vi", "Tối thứ Hai, lực lượng chức năng bắt giữ 10 đối tượng.", "2024-03-11"),
    ("ko", "외교부는 12일(현지시간) 성명을 내고 북한을 규탄했다.", "2024-03-12"),
    ("fa", "روز یکشنبه ۲۰ اسفند ۱۴۰۲ وزیر خارجه به مسکو رفت.", "2024-03-10"),
    ("fa", "بامداد جمعه نیروهای امنیتی ده نفر را بازداشت کردند.", "2024-03-08"),
    ("hi", "बीते सोमवार को विदेश मंत्री ने बयान जारी किया।", "2024-03-11"),
    ("hi", "पहली मार्च को दोनों देशों के बीच वार्ता हुई।", "2024-03-01"),
    ("ur", "پیر کے روز دفتر خارجہ نے افغان سفیر کو طلب کیا۔", "2024-03-11"),
    ("bn", "গত বৃহস্পতিবার দুই দেশের পররাষ্ট্রসচিব বৈঠক করেন।", "2024-03-07"),
    ("ar", "أعلن الجيش، مساء السبت الماضي، مقتل ثلاثة جنود.", "2024-03-09"),
    ("ru", "В ночь на среду беспилотники атаковали Белгород.", "2024-03-13"),
    ("pt", "Nesta segunda, o ministro se reuniu com o embaixador.", "2024-03-11"),
    ("de", "In der Nacht zum Mittwoch griffen Drohnen die Stadt an.", "2024-03-13"),
]


@pytest.mark.parametrize(("lang", "text", "value"), WEEKDAY_PHRASINGS)
def test_weekday_phrasings(lang: str, text: str, value: str) -> None:
    assert resolve_event_date(text, lang, THU) == (value, "day")


def test_jalali_conversion_round_trips() -> None:
    from pipeline.events.dates import _gregorian_to_jalali, _jalali_to_gregorian

    assert _jalali_to_gregorian(1401, 1, 1) == datetime.date(2022, 3, 21)  # Nowruz 1401
    assert _jalali_to_gregorian(1403, 12, 30) == datetime.date(2025, 3, 20)  # leap Esfand 30
    assert _jalali_to_gregorian(1357, 11, 22) == datetime.date(1979, 2, 11)
    day = datetime.date(1990, 1, 1)
    while day < datetime.date(2031, 1, 1):
        assert _jalali_to_gregorian(*_gregorian_to_jalali(day)) == day
        day += datetime.timedelta(days=17)
