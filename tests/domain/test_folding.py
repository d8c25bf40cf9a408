"""fold(): diacritics-insensitive, đ/Đ -> d, NFC and NFD alike."""

from __future__ import annotations

import unicodedata
from typing import Literal

import pytest

from wfh_client.domain.folding import fold, fold_query


def test_dang_ky_dat_dai() -> None:
    assert fold("Đăng ký đất đai") == "dang ky dat dai"
    assert "dang ky dat dai" in fold("Thủ tục: Đăng ký đất đai lần đầu")


def test_uppercase_d_with_stroke() -> None:
    assert fold("ĐỖ ĐỨC ĐẠT") == "do duc dat"
    assert fold("Đ") == fold("đ") == "d"


@pytest.mark.parametrize("form", ["NFC", "NFD", "NFKC", "NFKD"])
def test_normalisation_forms_fold_alike(form: Literal["NFC", "NFD", "NFKC", "NFKD"]) -> None:
    text = "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu"
    assert fold(unicodedata.normalize(form, text)) == (
        "cap giay chung nhan quyen su dung dat lan dau"
    )


def test_mixed_nfc_nfd_in_one_string() -> None:
    mixed = unicodedata.normalize("NFC", "Nguyễn ") + unicodedata.normalize("NFD", "Thị Hương")
    assert fold(mixed) == "nguyen thi huong"


def test_all_vietnamese_vowels() -> None:
    assert fold("àáảãạăằắẳẵặâầấẩẫậ") == "a" * 17
    assert fold("ÈÉẺẼẸÊỀẾỂỄỆ") == "e" * 11
    assert fold("ơớờởỡợôốồổỗộ") == "o" * 12
    assert fold("ưứừửữự ỳýỷỹỵ ìíỉĩị") == "uuuuuu yyyyy iiiii"


def test_ascii_untouched_and_idempotent() -> None:
    assert fold("ABC-123 xyz") == "abc-123 xyz"
    s = "Hộ kinh doanh"
    assert fold(fold(s)) == fold(s)


def test_fold_query_collapses_whitespace() -> None:
    assert fold_query("  Đăng   ký\tđất\nđai ") == "dang ky dat dai"
