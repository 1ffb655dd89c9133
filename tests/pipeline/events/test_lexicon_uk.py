"""Ukrainian trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from pipeline.events import extract_events_from_text
from tests.pipeline.events.lexcheck import check, cue

CASES = [
    ("Міністр заявив, що ситуація стабільна.", "01"),
    ("Генсек закликав сторони до стриманості.", "02"),
    ("Уряд пообіцяв нові кошти на відбудову.", "03"),
    ("Міністри зустрілися в Брюсселі.", "04"),
    ("Прем'єр похвалив досягнуту угоду.", "05"),
    ("Компанія продала гелікоптери флоту.", "06"),
    ("Місто отримало гуманітарну допомогу.", "07"),
    ("Бойовики звільнили двох заручників.", "08"),
    ("Поліція відкрила кримінальне провадження.", "09"),
    ("Профспілка вимагає підвищення зарплат.", "10"),
    ("Опозиція різко розкритикувала реформу.", "11"),
    ("Парламент відхилив законопроєкт.", "12"),
    ("Президент пригрозив відповіддю.", "13"),
    ("Тисячі людей вийшли на мітинг у Львові.", "14"),
    ("Армія розгорнула нові підрозділи біля кордону.", "15"),
    ("Брюссель ухвалив нові санкції.", "16"),
    ("Поліція затримала трьох чоловіків.", "17"),
    ("Невідомі викрали журналіста.", "18"),
    ("Ворог обстріляв місто з артилерії.", "19"),
    ("Окупанти влаштували різанину в селі.", "20"),
]


def test_roots():
    check("uk", CASES)


def test_cues():
    assert cue("uk", "@neg", "Армія не атакувала місто.")
    assert cue("uk", "@intent", "Уряд планує надіслати допомогу.")
    assert cue("uk", "@report", "За даними поліції, ніхто не постраждав.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    """(root, actor1 country, actor2 country) of each event coded in `text`."""
    out = set()
    for e in extract_events_from_text(text, published="2024-05-10", lang="uk"):
        a1 = e.actor1.code[:3] if e.actor1 else None
        a2 = e.actor2.code[:3] if e.actor2 else None
        out.add((e.action.root, a1, a2))
    return out


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("Росія атакувала Україну.")
    assert ("04", "UKR", "FRA") in _coded("Зеленський зустрівся з Макроном у вівторок.")
    assert ("11", "FRA", "IRN") in _coded("Франція засудила санкції проти Ірану.")
    assert ("13", "IRN", "ISR") in _coded("Іран пригрозив Ізраїлю.")
    assert ("03", "UKR", "FRA") in _coded("Зеленський зустрінеться з Макроном у Парижі.")
    assert ("05", "TUR", "GRC") in _coded("Туреччина і Греція підписали угоду.")
    assert not _coded("Китай не атакував Тайвань.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    """(base code, actor1 code, actor2 code) of each event coded in `text`."""
    out = set()
    for e in extract_events_from_text(text, published="2024-05-10", lang="uk"):
        out.add(
            (
                e.action.cameo[:3],
                e.actor1.code if e.actor1 else None,
                e.actor2.code if e.actor2 else None,
            )
        )
    return out


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Російські війська атакували українські позиції.")
    assert ("163", "USA", "RUS") in _full("США запровадили нові санкції проти Росії.")
