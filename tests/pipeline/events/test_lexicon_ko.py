"""Korean trigger lexicon: hand-written sentences (substring matching), plus end-to-end coding."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue

CASES = [
    ("장관은 상황이 안정적이라고 말했다.", "01"),
    ("사무총장은 양측에 자제를 촉구했다.", "02"),
    ("정부는 재건 자금을 약속했다.", "03"),
    ("양국 외교장관은 서울에서 회담했다.", "04"),
    ("총리는 합의를 환영했다.", "05"),
    ("회사는 해군에 헬기를 판매했다.", "06"),
    ("시는 수재민에게 구호품을 보냈다.", "07"),
    ("무장단체는 인질 두 명을 석방했다.", "08"),
    ("검찰은 사건에 대한 수사에 착수했다.", "09"),
    ("노조는 임금 인상을 요구했다.", "10"),
    ("야당은 개혁안을 강하게 비판했다.", "11"),
    ("국회는 법안을 거부했다.", "12"),
    ("대변인은 보복을 경고했다.", "13"),
    ("수천 명이 광장에서 시위를 벌였다.", "14"),
    ("군은 국경에 병력을 배치했다.", "15"),
    ("정부는 추가 제재를 발표했다.", "16"),
    ("경찰은 용의자 세 명을 체포했다.", "17"),
    ("괴한들이 기자를 납치했다.", "18"),
    ("전투기들이 도시를 폭격했다.", "19"),
    ("민병대가 마을에서 학살을 자행했다.", "20"),
]


def test_roots():
    check("ko", CASES)


def test_cues():
    assert cue("ko", "@neg", "군은 도시를 공격하지 않았다.")
    assert cue("ko", "@intent", "정부는 지원을 보낼 계획이다.")
    assert cue("ko", "@agent_after", "한국은 말했다")
    assert not cue("ko", "@neg", "국가안보회의가 열렸다.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("ko", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("러시아군이 우크라이나 진지를 공격했다.")
    assert ("04", "KOR", "JPN") in _coded("한국 대통령은 화요일 일본 총리와 회담했다.")
    assert ("11", "FRA", "IRN") in _coded("프랑스는 이란에 대한 제재를 규탄했다.")
    assert ("16", "USA", "RUS") in _coded("미국은 러시아에 새로운 제재를 부과했다.")
    assert ("13", "IRN", "ISR") in _coded("이란은 이스라엘을 위협했다.")
    assert ("05", "TUR", "GRC") in _coded("튀르키예와 그리스는 협정에 서명했다.")  # text order
    assert ("04", "KOR", "JPN") in _coded("한국 대통령은 일본 총리와 전화 통화를 했다.")
    assert not _coded("중국은 대만을 공격하지 않았다.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("ko", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("러시아군이 우크라이나 진지를 공격했다.")
    assert ("111", "KORGOV", None) in _full("한국 정부는 제재를 규탄했다.")
