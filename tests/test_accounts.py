"""Accounts under attack: a lockout that cannot be raced, a throttle per address, sessions on the server,
recovery and reset codes, invitations, and the account events they leave in the audit log."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest

import db
from db.errors import InvalidInput, NotAllowed, NotFound
from duka import book, codes, customers, guards, invitations, members, recovery, sessions
from duka.members import Actor
from duka.values import normalise_phone
from support import PASSWORD, ROOT, join, new_phone, register_owner

NEW_PASSWORD = "Mpya-kabisa-2026"


def events_of(raw, **where) -> list[dict]:
    """The audit log's account events matching every column = value given."""
    cur = raw.cursor(dictionary=True)
    clause = " AND ".join(f"{column} = %s" for column in where)
    cur.execute(f"SELECT * FROM audit_log WHERE {clause} ORDER BY id", tuple(where.values()))
    return cur.fetchall()


# --- the lockout -----------------------------------------------------------------------------------


def test_sixty_parallel_wrong_guesses_get_at_most_five_password_checks_and_lock_the_phone(raw):
    owner, phone = register_owner()
    before = members.password_checks
    start = threading.Barrier(60)
    refused: list[str] = []

    def guess(password: str) -> None:
        start.wait()
        try:
            members.login(phone, password)
            refused.append("signed in!")
        except Exception as failed:  # noqa: BLE001 (a wrong password, refused unchecked, or anything else)
            refused.append(str(failed))

    threads = [threading.Thread(target=guess, args=(f"wrong-guess-{n}",)) for n in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checks = members.password_checks - before
    assert 1 <= checks <= 5, f"{checks} passwords were checked"
    locked = members.LOCKED.format(wait="15 minutes")
    busy = [said for said in refused if said.startswith("Daftari is busy")]  # a full pool on a loaded machine
    assert len(refused) == 60 and refused.count(locked) + len(busy) >= 55, set(refused)
    assert {said for said in refused if said not in (locked, *busy)} <= {
        f"{members.LOGIN_FAILED} {left} more {'try' if left == 1 else 'tries'} before it locks for 15 minutes."
        for left in range(1, 5)
    }
    failed = events_of(raw, table_name="users", row_id=owner.user_id, action="login_failed")
    unchecked = events_of(raw, table_name="users", row_id=owner.user_id, action="login_refused")
    assert (len(failed), len(unchecked)) == (checks, 60 - checks - len(busy))
    with pytest.raises(guards.Locked):  # now even the right password waits
        members.login(phone, PASSWORD)
    assert members.password_checks - before == checks


def test_a_locked_unknown_phone_reads_exactly_like_a_locked_account():
    _, phone = register_owner()
    unknown = new_phone()
    for who in (phone, unknown):
        for _ in range(5):
            with pytest.raises(InvalidInput):
                members.login(who, "wrong-password")
    said = []
    for who in (phone, unknown):
        with pytest.raises(guards.Locked) as locked:
            members.login(who, PASSWORD)
        said.append(str(locked.value))
    assert said[0] == said[1] and "try again in 15 minutes" in said[0]


def test_thirty_failures_from_one_address_stop_it_trying_other_phones_too():
    address = "198.51.100.7"
    for n in range(30):
        with pytest.raises(InvalidInput):
            members.login(new_phone() if n % 2 else register_owner()[1], "wrong-password", address=address)
    _, phone = register_owner()
    with pytest.raises(guards.Locked, match="from this connection"):
        members.login(phone, PASSWORD, address=address)
    assert members.login(phone, PASSWORD, address="198.51.100.8")["id"]  # another address is not held back


def test_a_good_login_gives_its_address_the_attempt_back():
    address = "198.51.100.9"
    _, phone = register_owner()
    for _ in range(40):  # a shop's till logging in all day from one address
        members.login(phone, PASSWORD, address=address)


# --- sessions --------------------------------------------------------------------------------------


def test_a_login_opens_a_server_session_found_by_its_token_only(raw):
    owner, phone = register_owner()
    user = members.login(phone, PASSWORD, address="203.0.113.5", user_agent="Test browser")
    found = sessions.find(user["token"])
    assert found.state == "live" and found.user["id"] == owner.user_id and found.shop_id == owner.shop_id
    cur = raw.cursor(dictionary=True)
    cur.execute("SELECT token_hash, client_address, user_agent FROM sessions WHERE user_id = %s", (owner.user_id,))
    [row] = cur.fetchall()
    assert row["token_hash"] == sessions.token_hash(user["token"]) != user["token"]
    assert (row["client_address"], row["user_agent"]) == ("203.0.113.5", "Test browser")
    assert sessions.find(user["token"][:-1] + "x") is None and sessions.find("") is None
    [login] = events_of(raw, table_name="users", row_id=owner.user_id, action="login")
    assert login["client_address"] == "203.0.113.5" and login["shop_id"] is None


def test_idle_for_thirty_minutes_asks_again_and_twelve_hours_ends_it(raw):
    _, phone = register_owner()
    token = members.login(phone, PASSWORD)["token"]
    cur = raw.cursor()
    hashed = sessions.token_hash(token)
    cur.execute("UPDATE sessions SET last_seen_at = NOW() - INTERVAL 29 MINUTE WHERE token_hash = %s", (hashed,))
    assert sessions.find(token).state == "live"
    cur.execute("UPDATE sessions SET last_seen_at = NOW() - INTERVAL 31 MINUTE WHERE token_hash = %s", (hashed,))
    assert sessions.find(token).state == "idle"
    cur.execute("UPDATE sessions SET last_seen_at = NOW(), expires_at = NOW() WHERE token_hash = %s", (hashed,))
    assert sessions.find(token).state == "ended"


def test_a_live_session_is_marked_used_at_most_once_a_minute(raw):
    _, phone = register_owner()
    token = members.login(phone, PASSWORD)["token"]
    cur = raw.cursor()
    hashed = sessions.token_hash(token)
    cur.execute("UPDATE sessions SET last_seen_at = NOW() - INTERVAL 20 MINUTE WHERE token_hash = %s", (hashed,))
    assert sessions.find(token).stale
    cur.execute("SELECT TIMESTAMPDIFF(SECOND, last_seen_at, NOW()) FROM sessions WHERE token_hash = %s", (hashed,))
    assert cur.fetchone()[0] <= 2
    assert not sessions.find(token).stale


def test_logging_out_ends_the_session_for_every_tab_holding_it(raw):
    owner, phone = register_owner()
    token = members.login(phone, PASSWORD)["token"]
    other = members.login(phone, PASSWORD)["token"]
    recovery.log_out(owner.user_id, token, "203.0.113.5")
    assert sessions.find(token).state == "ended"
    assert sessions.find(other).state == "live"  # another device stays signed in
    assert events_of(raw, table_name="users", row_id=owner.user_id, action="logout")


def test_changing_the_password_ends_the_other_sessions_and_asks_the_current_one():
    owner, phone = register_owner()
    here = members.login(phone, PASSWORD)["token"]
    elsewhere = members.login(phone, PASSWORD)["token"]
    with pytest.raises(InvalidInput, match="current password is not right"):
        recovery.change_password(owner.user_id, "not-my-password", NEW_PASSWORD, NEW_PASSWORD, here)
    with pytest.raises(InvalidInput, match="differ"):
        recovery.change_password(owner.user_id, PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", here)
    recovery.change_password(owner.user_id, PASSWORD, NEW_PASSWORD, NEW_PASSWORD, here)
    assert sessions.find(here).state == "live" and sessions.find(elsewhere).state == "ended"
    assert members.login(phone, NEW_PASSWORD)["id"] == owner.user_id
    with pytest.raises(InvalidInput):
        members.login(phone, PASSWORD)


# --- recovery --------------------------------------------------------------------------------------


def test_registration_gives_ten_recovery_codes_stored_only_as_hashes(raw):
    phone = new_phone()
    made = members.register("Neema", "Wairimu", phone, PASSWORD, "Neema's")
    assert len(made["recovery_codes"]) == 10 and len(set(made["recovery_codes"])) == 10
    cur = raw.cursor()
    cur.execute("SELECT code_hash FROM one_time_codes WHERE user_id = %s AND kind = 'recovery'", (made["user_id"],))
    stored = {row[0] for row in cur.fetchall()}
    assert stored == {codes.code_hash(code) for code in made["recovery_codes"]}
    assert not stored & {code.replace("-", "") for code in made["recovery_codes"]}


def test_a_recovery_code_sets_a_new_password_once_even_while_the_phone_is_locked():
    phone = new_phone()
    made = members.register("Neema", "Wairimu", phone, PASSWORD, "Neema's")
    for _ in range(5):
        with pytest.raises(InvalidInput):
            members.login(phone, "wrong-password")
    code = made["recovery_codes"][3].lower().replace("-", " ")  # typed loosely: case and spaces do not matter
    recovery.reset_password(phone, code, NEW_PASSWORD, NEW_PASSWORD)
    assert members.login(phone, NEW_PASSWORD)["id"] == made["user_id"]  # the lock is lifted
    with pytest.raises(InvalidInput, match="does not work"):
        recovery.reset_password(phone, code, PASSWORD, PASSWORD)
    assert codes.recovery_codes_left(made["user_id"]) == 9


def test_wrong_codes_are_guarded_like_passwords_and_say_the_same_for_unknown_phones():
    phone = new_phone()
    members.register("Neema", "Wairimu", phone, PASSWORD, "Neema's")
    said = []
    for who in (phone, new_phone()):
        for _ in range(5):
            with pytest.raises(InvalidInput) as failed:
                recovery.reset_password(who, "K7QM-2XTP-9RWD", NEW_PASSWORD, NEW_PASSWORD)
            said.append(str(failed.value))
        with pytest.raises(guards.Locked) as locked:
            recovery.reset_password(who, "K7QM-2XTP-9RWD", NEW_PASSWORD, NEW_PASSWORD)
        said.append(str(locked.value))
    assert said[:6] == said[6:] and said[0] == recovery.CODE_FAILED
    with pytest.raises(InvalidInput, match="12 letters and digits"):
        recovery.reset_password(phone, "12345", NEW_PASSWORD, NEW_PASSWORD)


def test_new_recovery_codes_replace_the_old_ones():
    phone = new_phone()
    made = members.register("Neema", "Wairimu", phone, PASSWORD, "Neema's")
    fresh = recovery.new_recovery_codes(made["user_id"], PASSWORD)
    with pytest.raises(InvalidInput, match="does not work"):
        recovery.reset_password(phone, made["recovery_codes"][0], NEW_PASSWORD, NEW_PASSWORD)
    recovery.reset_password(phone, fresh[0], NEW_PASSWORD, NEW_PASSWORD)


def test_the_owner_gives_a_clerk_a_reset_code_that_works_once_for_24_hours(raw):
    owner, _ = register_owner()
    clerk_phone = new_phone()
    members.register("Juma", "Kazi", clerk_phone, PASSWORD)
    clerk = join(owner, clerk_phone, "clerk")
    token = members.login(clerk_phone, PASSWORD)["token"]
    code = recovery.reset_code_for_member(owner, clerk.user_id, "203.0.113.5")
    recovery.reset_password(clerk_phone, code, NEW_PASSWORD, NEW_PASSWORD)
    assert sessions.find(token).state == "ended"  # every session of the account ends
    assert members.login(clerk_phone, NEW_PASSWORD)["id"] == clerk.user_id
    with pytest.raises(InvalidInput, match="does not work"):
        recovery.reset_password(clerk_phone, code, PASSWORD, PASSWORD)
    later = recovery.reset_code_for_member(owner, clerk.user_id)
    raw.cursor().execute(
        "UPDATE one_time_codes SET expires_at = NOW() - INTERVAL 1 SECOND WHERE code_hash = %s",
        (codes.code_hash(later),),
    )
    with pytest.raises(InvalidInput, match="does not work"):
        recovery.reset_password(clerk_phone, later, PASSWORD, PASSWORD)
    [issued, *_] = events_of(raw, table_name="users", row_id=clerk.user_id, action="reset_code_issued")
    assert issued["changed_by"] == owner.user_id and issued["client_address"] == "203.0.113.5"


def test_an_owner_cannot_reset_someone_who_belongs_to_a_shop_they_do_not_own():
    owner, _ = register_owner()
    _, other_phone = register_owner("Another duka")
    member = join(owner, other_phone, "clerk")
    with pytest.raises(NotAllowed, match="a shop you do not own"):
        recovery.reset_code_for_member(owner, member.user_id)
    clerk_phone = new_phone()
    members.register("Juma", "Kazi", clerk_phone, PASSWORD)
    clerk = join(owner, clerk_phone, "clerk")
    with pytest.raises(NotAllowed, match="A clerk cannot"):
        recovery.reset_code_for_member(clerk, owner.user_id)
    stranger, _ = register_owner("A stranger's duka")
    with pytest.raises(NotFound):
        recovery.reset_code_for_member(owner, stranger.user_id)  # not in this shop at all


def test_the_operator_prints_a_reset_code_with_daftari_admin():
    _, phone = register_owner()
    done = subprocess.run(
        [sys.executable, "-m", "duka.admin", "reset-password", phone], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    code = done.stdout.strip()
    assert codes.normalise(code) and "24 hours" in done.stderr
    recovery.reset_password(phone, code, NEW_PASSWORD, NEW_PASSWORD)
    assert members.login(phone, NEW_PASSWORD)
    missing = subprocess.run(
        [sys.executable, "-m", "duka.admin", "reset-password", new_phone()], cwd=ROOT, capture_output=True, text=True
    )
    assert missing.returncode == 1 and "No Daftari account" in missing.stderr and "Traceback" not in missing.stderr


# --- invitations -----------------------------------------------------------------------------------


def test_an_unregistered_phone_is_invited_registers_without_a_shop_accepts_and_works_as_a_clerk(raw):
    owner, _ = register_owner()
    phone = new_phone()
    invitation = invitations.invite(owner, phone, "clerk", "203.0.113.5")
    assert len(members.members(owner)) == 1  # nobody joins before accepting
    made = members.register("Juma", "Kazi", phone, PASSWORD)  # no shop name
    assert made["shop_id"] is None and members.memberships(made["user_id"]) == []
    [waiting] = invitations.for_user(made["user_id"])
    assert (waiting["invitation_id"], waiting["shop_name"], waiting["role"]) == (invitation, "Duka la Mama", "clerk")
    clerk = Actor(made["user_id"], waiting["shop_id"])
    invitations.accept(clerk, invitation)
    assert members.membership(clerk).role == "clerk"
    customer = customers.add_customer(clerk, "Kiprono")
    book.record_sale(clerk, customer, "Sugar", total="120")
    assert customers.customer(owner, customer)["balance"] == 120
    with pytest.raises(NotFound, match="no longer open"):
        invitations.accept(clerk, invitation)
    assert invitations.waiting(owner).empty
    actions = [e["action"] for e in events_of(raw, table_name="invitations", row_id=invitation)]
    assert actions == ["invited", "invitation_accepted"]
    [joined] = events_of(raw, table_name="shop_members", row_id=clerk.user_id, action="insert")
    assert joined["changed_by"] == clerk.user_id and json.loads(joined["new_values"])["role"] == "clerk"


def test_an_invitation_reveals_no_name_and_can_be_cancelled_or_declined():
    owner, _ = register_owner()
    _, their_phone = register_owner("Their own duka", first="Siri")
    invitation = invitations.invite(owner, their_phone, "analyst")
    waiting = invitations.waiting(owner)
    assert "Siri" not in waiting.to_string() and list(waiting["phone"]) == [normalise_phone(their_phone)]
    with pytest.raises(InvalidInput, match="already has an invitation waiting"):
        invitations.invite(owner, their_phone, "clerk")
    invitations.cancel(owner, invitation)
    user_id = members.login(their_phone, PASSWORD)["id"]
    assert invitations.for_user(user_id) == []
    with pytest.raises(NotFound):
        invitations.accept(Actor(user_id, owner.shop_id), invitation)
    again = invitations.invite(owner, their_phone, "clerk")
    invitations.decline(Actor(user_id, owner.shop_id), again)
    assert members.membership(Actor(user_id, owner.shop_id)) is None


def test_only_the_invited_phone_can_accept_and_only_an_owner_invites(staffed_shop):
    owner = staffed_shop["owner"]
    invitation = invitations.invite(owner, new_phone(), "clerk")
    stranger, _ = register_owner("Stranger's")
    with pytest.raises(NotFound):
        invitations.accept(Actor(stranger.user_id, owner.shop_id), invitation)
    assert members.membership(Actor(stranger.user_id, owner.shop_id)) is None
    with pytest.raises(NotAllowed):
        invitations.invite(staffed_shop["clerk"], new_phone(), "clerk")
    with pytest.raises(InvalidInput, match="clerk or analyst"):
        invitations.invite(owner, new_phone(), "owner")
    member_phone = new_phone()
    members.register("Juma", "Kazi", member_phone, PASSWORD)
    join(owner, member_phone, "clerk")
    with pytest.raises(InvalidInput, match="already a member"):
        invitations.invite(owner, member_phone, "analyst")


def test_an_invitation_runs_out_after_seven_days(raw):
    owner, _ = register_owner()
    phone = new_phone()
    invitation = invitations.invite(owner, phone, "clerk")
    raw.cursor().execute("UPDATE invitations SET expires_at = NOW() - INTERVAL 1 SECOND WHERE id = %s", (invitation,))
    made = members.register("Late", "Comer", phone, PASSWORD)
    assert invitations.for_user(made["user_id"]) == []
    with pytest.raises(NotFound, match="more than 7 days"):
        invitations.accept(Actor(made["user_id"], owner.shop_id), invitation)


def test_open_shop_makes_an_invited_person_owner_of_their_own_shop_later():
    made = members.register("Juma", "Kazi", new_phone(), PASSWORD)
    shop_id = members.open_shop(made["user_id"], "Juma's kiosk", "KES")
    assert members.membership(Actor(made["user_id"], shop_id)).role == "owner"
    assert db.rows("memberships_of_user", user_id=made["user_id"])[0]["shop_name"] == "Juma's kiosk"


def test_a_stranger_elsewhere_cannot_lock_the_owner_out_nor_block_a_right_code():
    phone = new_phone()
    made = members.register("Neema", "Wairimu", phone, PASSWORD, "Neema's")
    attacker, owner_home = "203.0.113.66", "198.51.100.20"
    for _ in range(5):
        with pytest.raises(InvalidInput):
            members.login(phone, "wrong-password", address=attacker)
        with pytest.raises(InvalidInput):
            recovery.reset_password(phone, "K7QM-2XTP-9RWD", NEW_PASSWORD, NEW_PASSWORD, address=attacker)
    with pytest.raises(guards.Locked):
        members.login(phone, PASSWORD, address=attacker)  # the attacker's own address is held back
    assert members.login(phone, PASSWORD, address=owner_home)["id"] == made["user_id"]
    for _ in range(5):  # even from the owner's own address, a lock cannot stop a right code
        with pytest.raises(InvalidInput):
            recovery.reset_password(phone, "K7QM-2XTP-9RWD", NEW_PASSWORD, NEW_PASSWORD, address=owner_home)
    recovery.reset_password(phone, made["recovery_codes"][0], NEW_PASSWORD, NEW_PASSWORD, address=owner_home)
    assert members.login(phone, NEW_PASSWORD, address=owner_home)["id"] == made["user_id"]


def test_an_owners_reset_code_stops_working_once_the_member_joins_a_shop_that_owner_does_not_own():
    owner, _ = register_owner()
    clerk_phone = new_phone()
    members.register("Juma", "Kazi", clerk_phone, PASSWORD)
    clerk = join(owner, clerk_phone, "clerk")
    code = recovery.reset_code_for_member(owner, clerk.user_id)
    other_owner, _ = register_owner("Another duka")
    join(other_owner, clerk_phone, "clerk")
    with pytest.raises(InvalidInput, match="does not work"):
        recovery.reset_password(clerk_phone, code, NEW_PASSWORD, NEW_PASSWORD)
    assert members.login(clerk_phone, PASSWORD)["id"] == clerk.user_id  # nothing changed
    members.remove_member(other_owner, clerk.user_id)
    members.remove_member(owner, clerk.user_id)
    with pytest.raises(InvalidInput, match="does not work"):  # nor for someone the owner removed
        recovery.reset_password(clerk_phone, code, NEW_PASSWORD, NEW_PASSWORD)


def test_a_success_gives_the_address_back_its_attempt_even_the_one_that_locked_it():
    address = "198.51.100.30"
    _, phone = register_owner()
    for _ in range(29):
        with pytest.raises(InvalidInput):
            members.login(new_phone(), "wrong-password", address=address)
    assert members.login(phone, PASSWORD, address=address)  # the 30th attempt: it claimed the lock, then refunds
    assert members.confirm_password(members.login(phone, PASSWORD, address=address)["id"], PASSWORD, address)
    assert members.login(phone, PASSWORD, address=address)
