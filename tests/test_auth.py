"""The manager role: password hashes (scrypt), the secrets file writer for the CLI, the three ways a
session meets the manager pages (password, single sign-on, nothing configured), and the signed token
in which a browser keeps a password sign-in (tests/browser/test_sign_in_kept.py reloads with it)."""
from __future__ import annotations

import re
import stat
import time

from components.auth import (
    end_session_token, hash_password, issue_session_token, manager_named_in_token, session_book, verify_password,
    write_password_hash,
)
from streamlit.testing.v1 import AppTest

from manager_helpers import APP, NO_SECRETS, PASSWORD, PASSWORD_HASH, app, button, labels, open_page, sign_in, values

DATA = "views/data.py"
SSO = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x",
                "client_id": "x", "client_secret": "x",
                "server_metadata_url": "https://id.example.com/.well-known/openid-configuration"},
       "managers": {"emails": ["Boss@Example.com"]}}


# ----------------------------------------------------------------------------- hashes

def test_hash_format_and_verification():
    scheme, n, r, p, salt, digest = PASSWORD_HASH.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32
    assert verify_password(PASSWORD, PASSWORD_HASH)
    assert not verify_password(PASSWORD + " ", PASSWORD_HASH)
    assert not verify_password("", PASSWORD_HASH)


def test_the_same_password_hashes_differently_each_time():
    first, second = hash_password("hunter2"), hash_password("hunter2")
    assert first != second and verify_password("hunter2", first) and verify_password("hunter2", second)


def test_malformed_or_hostile_stored_values_never_verify():
    for stored in ("", "plain-text-password", "scrypt$16384$8$1$zz$zz", "bcrypt$16384$8$1$00$" + "00" * 32,
                   "scrypt$1073741824$8$1$00$" + "00" * 32, "scrypt$1000$8$1$00$" + "00" * 32):
        assert not verify_password("anything", stored)


def test_write_password_hash_keeps_other_secrets_and_comments(tmp_path):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text('# deployment secrets\nsmtp_password = "keep me"\n\n[auth]\nclient_id = "abc"  # OIDC\n')
    write_password_hash("scrypt$16384$8$1$aa$bb", secrets)
    text = secrets.read_text()
    assert text.startswith('# deployment secrets\nsmtp_password = "keep me"\nmanager_password_hash = "scrypt$16384')
    assert '[auth]\nclient_id = "abc"  # OIDC\n' in text
    write_password_hash("scrypt$16384$8$1$cc$dd", secrets)  # replacing, not adding a second key
    assert secrets.read_text().count("manager_password_hash") == 1 and "$cc$dd" in secrets.read_text()
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600


def test_write_password_hash_creates_the_file(tmp_path):
    secrets = tmp_path / "new" / "secrets.toml"
    write_password_hash(PASSWORD_HASH, secrets)
    import tomllib

    assert tomllib.loads(secrets.read_text()) == {"manager_password_hash": PASSWORD_HASH}


# ----------------------------------------------------------------------------- sessions

def test_password_hash_from_secrets_signs_a_manager_in(monkeypatch):
    at = open_page(app(monkeypatch, password_hash=None, secrets={"manager_password_hash": PASSWORD_HASH}), DATA)
    assert len(at.file_uploader) == 0
    sign_in(at, name="")
    assert len(at.file_uploader) == 1
    assert any("Signed in as manager **manager (password)**" in c for c in values(at.caption))
    button(at, "Sign out").click().run()
    assert len(at.file_uploader) == 0 and "Sign in" in labels(at)


def test_repeated_wrong_passwords_lock_the_form_for_a_while(monkeypatch):
    at = open_page(app(monkeypatch), DATA)
    for _ in range(5):
        sign_in(at, password="guess")
    sign_in(at)  # even the right password waits out the lockout
    assert any("Too many wrong passwords" in e for e in values(at.error))
    assert len(at.file_uploader) == 0


def test_wrong_passwords_are_counted_for_the_server_not_the_tab(monkeypatch):
    # a reload (a new session) used to start the count afresh: guessing was unlimited
    at = open_page(app(monkeypatch), DATA)
    for _ in range(5):
        sign_in(at, password="guess")
    fresh_tab = AppTest.from_file(str(APP), default_timeout=90)   # the same server: the book is not cleared
    fresh_tab.secrets = dict(NO_SECRETS)
    sign_in(open_page(fresh_tab, DATA))
    assert any("Too many wrong passwords" in e for e in values(fresh_tab.error))
    assert len(fresh_tab.file_uploader) == 0


def test_a_wrong_password_keeps_the_name_and_an_empty_one_is_no_guess(monkeypatch):
    """The form cleared both fields on a wrong password: the manager who typed the password again
    was audited as 'manager'. The name stays, the password goes; an empty form is not a guess."""
    at = sign_in(open_page(app(monkeypatch), DATA), password="guess")
    assert any("That password is not right" in e for e in values(at.error))
    assert (at.text_input(key="manager_name").value, at.text_input(key="manager_password").value) == ("Ann Manager", "")
    at.text_input(key="manager_password").input(PASSWORD)
    button(at, "Sign in").click().run()
    assert any("Signed in as manager **Ann Manager (password)**" in c for c in values(at.caption))
    button(at, "Sign out").click().run()
    for _ in range(6):   # more than the lockout's five, none of them a guess
        sign_in(at, password="")
    assert any("Type the manager password" in e for e in values(at.error))
    sign_in(at)
    assert len(at.file_uploader) == 1


def test_a_signed_in_name_is_shown_as_typed(monkeypatch):
    at = sign_in(open_page(app(monkeypatch), DATA), name="**Ann** [x](http://example.com)")
    # the markdown sent to the browser escapes it (values() reads it back as typed)
    banner = next(c.proto.body for c in at.caption if "Signed in as manager" in c.proto.body)
    assert "**\\*\\*Ann\\*\\* \\[x\\]\\(http\\://example\\.com\\)" in banner


def test_single_sign_on_manager(monkeypatch):
    at = open_page(app(monkeypatch, password_hash=None, secrets=SSO,
                       user={"is_logged_in": True, "email": "boss@example.com"}), DATA)
    assert len(at.file_uploader) == 1
    assert any("boss@example.com" in c for c in values(at.caption))
    assert len(at.text_input) == 0  # no password form in SSO mode


def test_single_sign_on_user_who_is_not_a_manager_is_a_viewer(monkeypatch):
    at = open_page(app(monkeypatch, secrets=SSO, user={"is_logged_in": True, "email": "staff@example.com"}), DATA)
    assert len(at.file_uploader) == 0
    assert any("not on the managers list" in w for w in values(at.warning))
    assert len(at.text_input) == 0  # a password hash in the environment does not bypass SSO


def test_single_sign_on_signed_out_gets_a_sign_in_button(monkeypatch):
    at = open_page(app(monkeypatch, secrets=SSO, user={"is_logged_in": False}), DATA)
    assert "Sign in" in labels(at) and len(at.file_uploader) == 0
    at = open_page(app(monkeypatch, secrets=SSO, user={"is_logged_in": False}), "views/charter.py")
    assert "Save the charter" not in labels(at)


# ----------------------------------------------------------------------------- the check inside each action

def _action_script():
    import streamlit as st

    from components.auth import acting_manager

    st.write(f"acting as {acting_manager('load data')}")


def test_the_action_check_accepts_a_current_session_and_refuses_a_stale_one(monkeypatch):
    from streamlit.testing.v1 import AppTest

    refused = ["Only a signed-in manager can load data. Nothing was changed."]
    signed_out = issue_session_token("Ann (password)", PASSWORD_HASH)
    end_session_token(signed_out)
    cases = [(issue_session_token("Ann (password)", PASSWORD_HASH), "acting as Ann (password)", []),
             (issue_session_token("Ann (password)", hash_password(PASSWORD)), "acting as None", refused),  # a new password
             (issue_session_token("Ann (password)", PASSWORD_HASH, now=time.time() - 13 * 3600),
              "acting as None", refused),                                                     # more than a working day
             (signed_out, "acting as None", refused)]                                         # signed out in another tab
    for token, written, errors in cases:
        monkeypatch.setenv("CHARTERDESK_MANAGER_PASSWORD_HASH", PASSWORD_HASH)
        at = AppTest.from_function(_action_script)
        at.secrets = {"charterdesk_tests": True}
        at.session_state["_manager_session"] = token
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.markdown[0].value == written and values(at.error) == errors


# ----------------------------------------------------------------------------- the sign-in token a browser keeps

def test_a_sign_in_token_names_its_manager_until_it_expires():
    now = time.time()
    token = issue_session_token("Zoë O'Brien (password)", PASSWORD_HASH, now=now)
    assert manager_named_in_token(token, PASSWORD_HASH, now=now) == "Zoë O'Brien (password)"
    assert manager_named_in_token(token, PASSWORD_HASH, now=now + 12 * 3600 - 1) == "Zoë O'Brien (password)"
    assert manager_named_in_token(token, PASSWORD_HASH, now=now + 12 * 3600 + 1) is None   # a working day later
    assert re.fullmatch(r"[A-Za-z0-9._-]+", token)   # a cookie value as it is, nothing to quote or escape
    assert issue_session_token("Ann", PASSWORD_HASH, now=now) != issue_session_token("Ann", PASSWORD_HASH, now=now)


def test_an_expired_token_is_refused():
    token = issue_session_token("Ann (password)", PASSWORD_HASH, now=time.time() - 12 * 3600 - 5)
    assert manager_named_in_token(token, PASSWORD_HASH) is None


def test_a_tampered_or_forged_token_is_refused():
    token = issue_session_token("Ann (password)", PASSWORD_HASH)
    expires, nonce, name, signature = token.split(".")
    other_name = issue_session_token("Boss (password)", PASSWORD_HASH).split(".")[2]
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    for tampered in (f"{expires}.{nonce}.{other_name}.{signature}",           # another name, the same signature
                     f"{int(expires) + 3600}.{nonce}.{name}.{signature}",     # a longer life
                     f"{expires}.{nonce}.{name}.{flipped}",                   # a changed signature
                     f"{expires}.{nonce}.{name}.{signature}x", token[:-1], token + ".", "." + token,
                     f"{expires}.{nonce}.{name}." + "A" * 43,                  # a signature made up
                     "", "null", "undefined", "1.2.3.4", "<script>alert(1)</script>", "é" * 60, "." * 3):
        assert manager_named_in_token(tampered, PASSWORD_HASH) is None, tampered
    for not_a_string in (None, 42, b"bytes", ["list"]):
        assert manager_named_in_token(not_a_string, PASSWORD_HASH) is None
    assert manager_named_in_token(token, PASSWORD_HASH) == "Ann (password)"   # the untouched one still is


def test_a_token_for_another_password_is_refused():
    token = issue_session_token("Ann (password)", PASSWORD_HASH)
    assert manager_named_in_token(token, hash_password("another password entirely")) is None
    # the same password set again: a new salt, so a new hash, and every earlier token ends
    assert manager_named_in_token(token, hash_password(PASSWORD)) is None
    assert manager_named_in_token(token, None) is None   # the password was removed


def test_a_signed_out_token_is_refused_and_others_are_not():
    token, other = issue_session_token("Ann (password)", PASSWORD_HASH), issue_session_token("Ann (password)", PASSWORD_HASH)
    end_session_token(token)
    assert manager_named_in_token(token, PASSWORD_HASH) is None
    assert manager_named_in_token(other, PASSWORD_HASH) == "Ann (password)"
    end_session_token("not a token")   # nothing to end, no error


def test_a_token_from_an_earlier_server_process_is_refused():
    token = issue_session_token("Ann (password)", PASSWORD_HASH)
    session_book.clear()   # the process's secret (and its list of signed-out tokens) is made anew on a restart
    assert manager_named_in_token(token, PASSWORD_HASH) is None
