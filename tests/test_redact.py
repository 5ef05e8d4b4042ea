from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.checker import check
from assistant.redact import find_pii, id_checksum_ok, luhn_ok, redact

_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def _id_number(region: int, year: int, month: int, day: int, seq: int) -> str:
    body = f"{region:06d}{year:04d}{month:02d}{day:02d}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _W, strict=True)) % 11]


def _luhn(prefix: str) -> str:
    for last in "0123456789":
        if luhn_ok(prefix + last):
            return prefix + last
    raise AssertionError


ids = st.builds(_id_number, st.integers(110000, 659999), st.integers(1930, 2010), st.integers(1, 12),
                st.integers(1, 28), st.integers(0, 999))
cards = st.builds(lambda p: _luhn("62" + p), st.text("0123456789", min_size=14, max_size=16))
mobiles = st.builds(lambda a, b: f"1{a}{b}", st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9))
emails = st.from_regex(r"[a-z]{3,8}\.[a-z]{2,5}@[a-z]{3,6}\.(com|cn)", fullmatch=True)
filler = st.sampled_from(["我的", "客户说", "卡号是", "联系", "请记下:", "", "。"])


@given(ids, filler)
def test_id_numbers_with_checksum_are_redacted(num, pre):
    assert id_checksum_ok(num)
    out = redact(f"{pre}{num}。")
    assert num not in out and "[身份证号]" in out


def test_id_with_bad_checksum_is_left():
    good = _id_number(110101, 1990, 1, 1, 123)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    assert "[身份证号]" not in redact(bad)


@given(cards, filler)
def test_luhn_cards_are_redacted(num, pre):
    out = redact(f"{pre}{num},麻烦查一下")
    assert num not in out and "[银行卡号]" in out


@given(mobiles, filler)
def test_mobiles_are_redacted(num, pre):
    out = redact(f"{pre}{num}")
    assert num not in out and "[手机号]" in out


@given(emails)
def test_emails_are_redacted(addr):
    assert redact(f"发到{addr}就行") == "发到[邮箱]就行"


def test_landline_and_mixed():
    text = "座机010-88886666,手机 138 1234 5678"
    out = redact(text)
    assert "[电话]" in out and "[手机号]" in out and "8888" not in out


@settings(max_examples=300)
@given(st.text())
def test_redactor_and_checker_never_crash_and_redaction_is_idempotent(text):
    once = redact(text)
    assert redact(once) == once
    assert find_pii(once) == []
    check(text)
    check(once)
