"""Registration, login, lockout, passwords and phones."""

from __future__ import annotations

import pytest

import db
from db.errors import InvalidInput
from duka import guards, members
from duka.values import normalise_phone
from support import PASSWORD, new_phone, register_owner


def test_register_creates_user_shop_and_owner_membership():
    phone = new_phone()
    ids = members.register("Zawadi", "Njeri", phone, PASSWORD, "Kiosk ya Zawadi")
    user = members.login(phone, PASSWORD)
    assert user["id"] == ids["user_id"] and user["phone"].startswith("+254")
    assert members.memberships(ids["user_id"]) == [
        {"shop_id": ids["shop_id"], "shop_name": "Kiosk ya Zawadi", "currency": "KES", "role": "owner"}
    ]


def test_the_password_is_stored_as_a_bcrypt_hash():
    phone = new_phone()
    members.register("Zawadi", "Njeri", phone, PASSWORD, "Kiosk")
    stored = db.rows("user_by_phone", phone="+254" + phone[1:])[0]["password_hash"]
    assert stored.startswith("$2b$") and PASSWORD not in stored


@pytest.mark.parametrize("typed", ["0722 123 456", "+254722123456", "254722123456", "722123456", "(0722) 123-456"])
def test_phones_are_normalised_to_e164(typed):
    assert normalise_phone(typed) == "+254722123456"


def test_an_invalid_phone_gets_a_clear_message():
    with pytest.raises(InvalidInput, match="not a valid phone number"):
        members.register("A", "B", "0722", PASSWORD, "Shop")


def test_a_duplicate_phone_on_register_is_refused_even_written_differently():
    phone = new_phone()
    members.register("A", "B", phone, PASSWORD, "Shop")
    with pytest.raises(InvalidInput, match="already exists"):
        members.register("C", "D", "+254" + phone[1:], PASSWORD, "Other shop")


@pytest.mark.parametrize(
    "password, message",
    [
        ("short1!", "at least 8"),
        ("password123", "too common"),
        ("aaaaaaaaaa", "too common"),
        ("é" * 37, "at most 72 bytes"),  # 37 characters, 74 bytes
    ],
)
def test_weak_or_too_long_passwords_are_refused(password, message):
    with pytest.raises(InvalidInput, match=message):
        members.register("A", "B", new_phone(), password, "Shop")


def test_a_72_byte_password_is_accepted_and_checked_in_full():
    password = "üäö" * 12  # 36 characters, 72 bytes
    phone = new_phone()
    members.register("A", "B", phone, password, "Shop")
    assert members.login(phone, password)["phone"]
    with pytest.raises(InvalidInput):
        members.login(phone, password[:-1] + "o")


def test_unknown_phone_and_wrong_password_get_the_same_sentences_up_to_the_lock():
    _, phone = register_owner()
    unknown = new_phone()
    said = {}
    for who in (phone, unknown):
        said[who] = []
        for _ in range(6):
            with pytest.raises(InvalidInput) as failed:
                members.login(who, "wrong-password")
            said[who].append(str(failed.value))
    assert said[phone] == said[unknown]
    assert said[phone][0] == f"{members.LOGIN_FAILED} 4 more tries before it locks for 15 minutes."
    assert said[phone][3].endswith("1 more try before it locks for 15 minutes.")
    assert said[phone][4] == said[phone][5] == members.LOCKED.format(wait="15 minutes")
    assert "recovery codes" in said[phone][5] and "reset code" in said[phone][5]


def test_five_failures_lock_the_phone_for_fifteen_minutes(raw):
    owner, phone = register_owner()
    for _ in range(5):
        with pytest.raises(InvalidInput):
            members.login(phone, "wrong-password")
    with pytest.raises(guards.Locked, match="try again in 15 minutes"):
        members.login(phone, PASSWORD)  # the right password does not open a locked account
    cur = raw.cursor()
    key = "phone:" + normalise_phone(phone)
    cur.execute("SELECT TIMESTAMPDIFF(SECOND, NOW(), locked_until) FROM login_guards WHERE guard_key = %s", (key,))
    assert 14 * 60 < cur.fetchone()[0] <= 15 * 60
    cur.execute("UPDATE login_guards SET locked_until = NOW() - INTERVAL 1 SECOND WHERE guard_key = %s", (key,))
    assert members.login(phone, PASSWORD)["id"] == owner.user_id


def test_a_good_login_forgets_earlier_failures():
    owner, phone = register_owner()
    for _ in range(4):
        with pytest.raises(InvalidInput):
            members.login(phone, "wrong-password")
    members.login(phone, PASSWORD)
    for _ in range(4):
        with pytest.raises(InvalidInput):
            members.login(phone, "wrong-password")
    assert members.login(phone, PASSWORD)["id"] == owner.user_id


def test_confirm_password_after_idle_time():
    owner, _ = register_owner()
    assert members.confirm_password(owner.user_id, PASSWORD)
    assert not members.confirm_password(owner.user_id, "not-it-at-all")


def test_the_bcrypt_work_factor_follows_the_environment_when_hashing(monkeypatch):
    """Read when hashing, not at import: the tests' cheap factor held only if support.py was imported first."""
    monkeypatch.setenv("DAFTARI_BCRYPT_ROUNDS", "5")
    assert members.hash_password("Sokoni-2026!").startswith("$2b$05$")
    monkeypatch.delenv("DAFTARI_BCRYPT_ROUNDS")
    assert members.hash_password("Sokoni-2026!").startswith("$2b$12$")
