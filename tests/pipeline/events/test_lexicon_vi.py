"""Vietnamese trigger lexicon: hand-written sentences: one CAMEO root each, end to end."""

from tests.pipeline.events.lexcheck import check, coded, coded_full, cue

CASES = [
    ("Bộ trưởng cho biết tình hình đã ổn định.", "01"),
    ("Tổng thư ký kêu gọi các bên kiềm chế.", "02"),
    ("Chính phủ cam kết tăng ngân sách tái thiết.", "03"),
    ("Hai bộ trưởng đã hội đàm tại Hà Nội.", "04"),
    ("Thủ tướng hoan nghênh thỏa thuận này.", "05"),
    ("Công ty đã bán trực thăng cho hải quân.", "06"),
    ("Hội Chữ thập đỏ gửi hàng cứu trợ tới vùng lũ.", "07"),
    ("Nhóm vũ trang đã phóng thích hai con tin.", "08"),
    ("Cảnh sát đang điều tra vụ việc.", "09"),
    ("Công nhân đòi tăng lương.", "10"),
    ("Phe đối lập chỉ trích gay gắt cuộc cải cách.", "11"),
    ("Quốc hội đã bác bỏ dự luật.", "12"),
    ("Người phát ngôn cảnh báo sẽ đáp trả.", "13"),
    ("Hàng nghìn người biểu tình ở thủ đô.", "14"),
    ("Quân đội điều động thêm binh sĩ tới biên giới.", "15"),
    ("Liên minh châu Âu công bố lệnh trừng phạt mới.", "16"),
    ("Cảnh sát đã bắt giữ ba nghi phạm.", "17"),
    ("Các tay súng bắt cóc một nhà báo.", "18"),
    ("Máy bay chiến đấu ném bom thành phố.", "19"),
    ("Dân quân gây ra vụ thảm sát tại ngôi làng.", "20"),
]


def test_roots():
    check("vi", CASES)


def test_cues():
    assert cue("vi", "@neg", "Quân đội không tấn công thành phố.")
    assert not cue("vi", "@neg", "Không quân đã tấn công thành phố.")
    assert cue("vi", "@intent", "Chính phủ sẽ gửi viện trợ.")


def _coded(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded("vi", text)


def test_end_to_end():
    assert ("19", "RUS", "UKR") in _coded("Nga tấn công Ukraine.")
    assert ("19", "RUS", "UKR") in _coded("Ukraine bị Nga tấn công.")
    assert ("19", "RUS", "UKR") in _coded("Không quân Nga tấn công Ukraine.")
    assert ("11", "FRA", "IRN") in _coded("Pháp lên án các lệnh trừng phạt đối với Iran.")
    assert ("13", "IRN", "ISR") in _coded("Iran đe dọa Israel.")
    assert not _coded("Trung Quốc không tấn công Đài Loan.")


def _full(text: str) -> set[tuple[str, str | None, str | None]]:
    return coded_full("vi", text)


def test_roles_end_to_end():
    """Full actor codes (country + role) with the actor lexicon of this language."""
    assert ("190", "RUSMIL", "UKR") in _full("Quân đội Nga tấn công các vị trí của Ukraine.")
    assert ("163", "USA", "RUS") in _full("Mỹ áp đặt lệnh trừng phạt mới đối với Nga.")
