"""Who may change things: viewers see the KPI pages; only managers upload, undo, save presets and
edit the charter.

Two ways to be a manager, chosen by configuration:
- single sign-on: when `.streamlit/secrets.toml` has an `[auth]` section, Streamlit's built-in OIDC
  login (`st.login`) is used and managers are the addresses listed in `[managers] emails`;
- otherwise a manager password, kept only as a salted scrypt hash, in the environment variable
  CHARTERDESK_MANAGER_PASSWORD_HASH (systemd, tests) or in secrets as `manager_password_hash`
  (written by `python cli.py set-manager-password`). The environment wins when both are set.
With neither, the manager pages are read-only and say how to set a password.

Pages call `require_manager()` to render the sign-in prompt, and `manager_for_action()` at the
moment of every change, so a session that lost its rights (password changed, signed out, removed
from the managers list) cannot act on a page it rendered earlier.

A password sign-in lasts its working day in that browser, across reloads and tabs, as single
sign-on's cookie does: it is a signed token (`issue_session_token`) kept in a browser cookie, which a
new tab's connection brings along (`st.context.cookies`). Its key is derived from the configured
password hash and a secret of this server process, so a changed password or a restart ends every
token; signing out ends the one token on the server too, not only in the browser.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets as token_source
import threading
import time
from pathlib import Path

import streamlit as st
import tomlkit

from components import formatting as fmt

ENV_HASH = "CHARTERDESK_MANAGER_PASSWORD_HASH"
SECRET_HASH = "manager_password_hash"
DEFAULT_SECRETS_PATH = Path(".streamlit/secrets.toml")
SET_PASSWORD_COMMAND = "python cli.py set-manager-password"

# scrypt cost: 16 MiB of memory and ~50 ms per check; guessing is slow, signing in is not.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
SCRYPT_MAX_N = 2**20          # refuse absurd costs in a stored value (memory exhaustion)
SESSION_HOURS = 12            # a password sign-in lasts a working day
MAX_FAILURES, LOCKOUT_SECONDS = 5, 60

_SESSION = "_manager_session"           # this tab's sign-in token
_ENDED = "_manager_session_ended"
_ENDED_TOKEN = "_manager_session_ended_token"   # to take out of the browser's cookie too
COOKIE = "charterdesk_manager"
# What issue_session_token writes (digits, dots, base64url) and nothing else: a cookie of any other
# shape is not ours, and only a value of this shape is ever written back into a script.
_TOKEN_SHAPE = re.compile(r"[0-9]{1,12}\.[A-Za-z0-9_-]{1,32}\.[A-Za-z0-9_-]{0,512}\.[A-Za-z0-9_-]{43}")
_REFUSED = "_manager_sign_in_refused"   # why the last sign-in was refused, said after the rerun that clears it
_log = logging.getLogger("charterdesk.auth")


# ----------------------------------------------------------------------------- password hashes

def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p,
                          maxmem=128 * r * (n + p + 2) + 1024 * 1024, dklen=32)


def hash_password(password: str) -> str:
    """A salted scrypt hash as `scrypt$n$r$p$salt_hex$hash_hex` (safe to store in secrets)."""
    if not password:
        raise ValueError("The manager password cannot be empty.")
    salt = token_source.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash; False for a wrong password or a malformed hash."""
    try:
        scheme, n, r, p, salt_hex, hash_hex = str(stored).strip().split("$")
        n, r, p = int(n), int(r), int(p)
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(hash_hex)
    except ValueError:
        return False
    if scheme != "scrypt" or not (1 < n <= SCRYPT_MAX_N) or n & (n - 1) or not (0 < r <= 64) \
            or not (0 < p <= 16) or not salt or len(expected) != 32 or not password:
        return False
    try:
        actual = _scrypt(password, salt, n, r, p)
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


def write_password_hash(stored: str, secrets_path: Path = DEFAULT_SECRETS_PATH) -> Path:
    """Store the hash as `manager_password_hash` in secrets.toml, keeping every other secret and
    comment. The file is replaced atomically and readable by its owner only."""
    path = Path(secrets_path).resolve()   # a symlinked secrets file: its target is the one to update
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    except (tomlkit.exceptions.ParseError, UnicodeDecodeError) as error:
        raise SecretsFileError(f"{path} is not a valid TOML file ({error}); fix it or choose another "
                               "file with --secrets. Nothing was changed.") from error
    document[SECRET_HASH] = stored
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)   # O_EXCL below: a stale, world-readable .tmp must not lend its mode
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(document.as_string())
    if path.exists():   # root updating the service user's file: it stays the service user's
        owner = path.stat()
        try:
            os.chown(temporary, owner.st_uid, owner.st_gid)
        except PermissionError:   # not root: the file becomes the writer's, as any editor would leave it
            pass
    temporary.replace(path)
    return path


class SecretsFileError(ValueError):
    """The secrets file cannot be read as TOML; nothing was written."""


# ----------------------------------------------------------------------------- configuration

def _secret(key: str, default=None):
    """A top-level secret, or `default` when there is no secrets file or no such key."""
    try:
        return st.secrets[key] if key in st.secrets else default
    except Exception:  # no secrets.toml at all, or one that does not parse
        return default


def _oidc_configured() -> bool:
    return bool(_secret("auth"))


def _configured_hash() -> str | None:
    return (os.environ.get(ENV_HASH) or str(_secret(SECRET_HASH, "") or "")).strip() or None


def _manager_emails() -> set[str]:
    managers = _secret("managers", {}) or {}
    emails = managers.get("emails", []) if hasattr(managers, "get") else []
    if isinstance(emails, str):
        emails = [emails]
    return {str(e).strip().casefold() for e in emails if str(e).strip()}


def mode() -> str:
    """'oidc', 'password' or 'none' (no way to sign in as a manager is configured)."""
    if _oidc_configured():
        return "oidc"
    return "password" if _configured_hash() else "none"


def _signed_in_email() -> str | None:
    user = st.user
    if not user.get("is_logged_in", False):
        return None
    email = str(user.get("email", "") or "").strip()
    return email or None


# ----------------------------------------------------------------------------- password sign-in tokens

@st.cache_resource(show_spinner=False)
def session_book() -> dict:
    """This server process's token secret and the tokens signed out before their time. Both live
    exactly as long as the process: a token cannot outlive the list that could have ended it."""
    return {"lock": threading.Lock(), "secret": token_source.token_bytes(32), "ended": {}}


def _token_key(stored_hash: str) -> bytes:
    # The hash in the key: a new password (a new salt, even for the same password) ends every token.
    return hmac.new(session_book()["secret"], b"charterdesk manager session key|" + stored_hash.encode("utf-8"),
                    hashlib.sha256).digest()


def _signature(stored_hash: str, payload: str) -> str:
    mac = hmac.new(_token_key(stored_hash), ("manager-session|" + payload).encode("ascii"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii").rstrip("=")


def issue_session_token(name: str, stored_hash: str, now: float | None = None) -> str:
    """`expires.nonce.name.signature`: the manager's name for the audit log, signed with a key only
    this server process holds for this password hash, valid for SESSION_HOURS."""
    expires = int(now if now is not None else time.time()) + SESSION_HOURS * 3600
    encoded_name = base64.urlsafe_b64encode(name.encode("utf-8")).decode("ascii").rstrip("=")
    payload = f"{expires}.{token_source.token_urlsafe(12)}.{encoded_name}"
    return f"{payload}.{_signature(stored_hash, payload)}"


def manager_named_in_token(token, stored_hash: str | None, now: float | None = None) -> str | None:
    """The manager's name if `token` is one this process issued for `stored_hash`, unexpired and
    not signed out; None for anything else (never an error: a cookie is whatever the browser sent)."""
    if not stored_hash or not isinstance(token, str) or not _TOKEN_SHAPE.fullmatch(token):
        return None
    payload, signature = token.rsplit(".", 1)
    if not hmac.compare_digest(signature, _signature(stored_hash, payload)):
        return None
    expires, _nonce, encoded_name = payload.split(".")
    remaining = int(expires) - (now if now is not None else time.time())
    if not 0 < remaining <= SESSION_HOURS * 3600 or signature in session_book()["ended"]:
        return None
    try:
        return base64.urlsafe_b64decode(encoded_name + "=" * (-len(encoded_name) % 4)).decode("utf-8")
    except ValueError:   # cannot happen for a token we signed; a broken one is still only a viewer
        return None


def end_session_token(token: str | None) -> None:
    """Signing out: the server refuses this token from now on, whichever browser still holds it."""
    if not isinstance(token, str) or not _TOKEN_SHAPE.fullmatch(token):
        return
    book, now = session_book(), time.time()
    expires, signature = int(token.split(".", 1)[0]), token.rsplit(".", 1)[1]
    with book["lock"]:   # the list keeps only tokens that would still be valid: it cannot grow for ever
        book["ended"] = {kept: until for kept, until in book["ended"].items() if until > now}
        book["ended"][signature] = expires


def _browser_token() -> str | None:
    """The sign-in cookie as the browser sent it when this tab connected (a reload connects anew)."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:   # no request context (a script run outside a server)
        return None
    return value if isinstance(value, str) else None   # AppTest's stand-in client answers a mock


def _cookie_script(token: str, max_age: int) -> str:
    """Sets (max_age > 0) or deletes (max_age 0, and only while the cookie still holds `token`, so
    a tab does not delete the sign-in another tab made since) the sign-in cookie in this browser.

    Set from JavaScript, the cookie cannot be HttpOnly (Streamlit has no way to send a Set-Cookie
    header from a page): a script running in the page could read it. That is why a token is worth
    nothing once signed out, expired, or its password changed. Secure only over https: the internal
    server may be plain http."""
    name, value = json.dumps(COOKIE), json.dumps(token if max_age > 0 else "")
    attributes = f"; Path=/; Max-Age={int(max_age)}; SameSite=Strict"
    write = f'document.cookie = {name} + "=" + {value} + "{attributes}" + (location.protocol === "https:" ? "; Secure" : "");'
    if max_age <= 0:
        write = f'if (document.cookie.split("; ").includes({json.dumps(f"{COOKIE}={token}")})) {{ {write} }}'
    # The style hides the element's own container: a script alone still takes a row of the page.
    return (f'<style>.stElementContainer:has(#{COOKIE}) {{ display: none; }}</style>'
            f'<script id="{COOKIE}">{write}</script>')


def _keep_browser_cookie(live_token: str | None) -> None:
    """Make the browser's cookie hold this tab's sign-in, or no longer hold a token that has ended.
    The tab only knows the cookie as it was when it connected, so the script runs in the browser."""
    seen = _browser_token()
    if live_token:
        if seen == live_token:
            return
        token, max_age = live_token, max(1, int(live_token.split(".", 1)[0]) - int(time.time()))
    else:
        token, max_age = st.session_state.get(_ENDED_TOKEN) or seen, 0
        if not (token and _TOKEN_SHAPE.fullmatch(token)):   # only our own shape is ever written into a script
            return
    st.html(_cookie_script(token, max_age), unsafe_allow_javascript=True)


# ----------------------------------------------------------------------------- the role, now

def manager_for_action() -> str | None:
    """The manager's name for the audit log if this session may change things right now, else None.
    Renders nothing: call it at the moment of the action."""
    current = mode()
    if current == "oidc":
        email = _signed_in_email()
        return email if email and email.casefold() in _manager_emails() else None
    stored = _configured_hash() if current == "password" else None
    token = st.session_state.get(_SESSION)
    if not token:   # a new tab or a reload: the sign-in this browser kept, if it is still good
        token = _browser_token()
        name = manager_named_in_token(token, stored)
        if name:
            st.session_state[_SESSION] = token
        return name
    name = manager_named_in_token(token, stored)
    if name:
        return name
    # The password changed or was removed, the sign-in is a working day old, or another tab of
    # this browser signed out.
    st.session_state.pop(_SESSION, None)
    st.session_state[_ENDED] = True
    st.session_state[_ENDED_TOKEN] = token
    return None


def acting_manager(what: str) -> str | None:
    """At the moment of an action: the manager's name, or None after saying the action is refused."""
    manager = manager_for_action()
    if not manager:
        st.error(f"Only a signed-in manager can {what}. Nothing was changed.")
    return manager


# ----------------------------------------------------------------------------- the prompt

def require_manager() -> str | None:
    """The manager's name/email for the audit log; otherwise render the sign-in prompt (or the
    explanation of how to configure one) and return None."""
    manager = manager_for_action()
    current = mode()
    if current != "oidc":
        _keep_browser_cookie(st.session_state.get(_SESSION) if manager else None)
    if manager:
        _signed_in_banner(manager)
        return manager
    if st.session_state.pop(_ENDED, False):
        st.warning("Your manager sign-in has ended (signed out in another tab, the password was changed or a "
                   "working day has passed). Nothing was changed; sign in again to continue.",
                   icon=":material/lock_clock:")
    if current == "oidc":
        _oidc_prompt()
    elif current == "password":
        _password_prompt()
    else:
        st.info(
            "**Read-only:** no manager sign-in is configured, so uploads, undo and charter edits are "
            f"switched off. To allow them, run `{SET_PASSWORD_COMMAND}` on the server (it stores a salted "
            f"hash in `.streamlit/secrets.toml`), or set the environment variable `{ENV_HASH}` to such a "
            "hash, or configure single sign-on with an `[auth]` section and `[managers] emails` in "
            "`.streamlit/secrets.toml`.",
            icon=":material/lock:",
        )
    return None


def _signed_in_banner(manager: str) -> None:
    left, right = st.columns([5, 1], vertical_alignment="center")
    left.caption(f":material/verified_user: Signed in as manager **{fmt.literal(manager)}**")
    if right.button("Sign out", key="manager_sign_out", icon=":material/logout:"):
        if mode() == "oidc":
            st.logout()
        else:
            token = st.session_state.pop(_SESSION, None)
            end_session_token(token)
            st.session_state[_ENDED_TOKEN] = token
            st.rerun()


def _oidc_prompt() -> None:
    email = _signed_in_email()
    if email:
        st.warning(
            f"You are signed in as {email}, which is not on the managers list, so this page is "
            "read-only. Ask an administrator to add you to `[managers] emails` in the secrets.",
            icon=":material/lock:",
        )
        if st.button("Sign out", key="manager_sign_out", icon=":material/logout:"):
            st.logout()
        return
    st.info("Managers sign in to upload data, undo uploads and edit the charter.", icon=":material/lock:")
    if st.button("Sign in", key="manager_sign_in", type="primary", icon=":material/login:"):
        try:
            st.login()
        except Exception as error:  # e.g. Authlib missing or an incomplete [auth] section
            st.error(f"Single sign-on is not working on this server: {error}")


@st.cache_resource(show_spinner=False)
def failure_book() -> dict:
    """Wrong passwords per client address, for the whole server process: counted per browser tab
    they were reset by reloading the page, so guessing was unlimited."""
    return {"lock": threading.Lock(), "by_client": {}}


def _client() -> str:
    try:
        address = st.context.ip_address
    except Exception:  # no request context (a script run outside a server)
        address = None
    return address if isinstance(address, str) and address else "localhost"


def _failures() -> dict:
    book = failure_book()
    with book["lock"]:
        return dict(book["by_client"].get(_client(), {"count": 0, "at": 0.0}))


def _record_failure(name: str) -> None:
    book, client = failure_book(), _client()
    with book["lock"]:
        failures = book["by_client"].get(client, {"count": 0, "at": 0.0})
        book["by_client"][client] = {"count": failures["count"] + 1, "at": time.time()}
        count = book["by_client"][client]["count"]
    # in the server's log, for whoever runs it: a guessing attack leaves a trace
    _log.warning("wrong manager password from %s (name given: %r), %d in a row", client, name[:80], count)


def _forget_failures() -> None:
    book = failure_book()
    with book["lock"]:
        book["by_client"].pop(_client(), None)


def _locked_for() -> int:
    failures = _failures()
    if failures["count"] < MAX_FAILURES:
        return 0
    return max(0, int(LOCKOUT_SECONDS - (time.time() - failures["at"])))


def _password_prompt() -> None:
    refused = st.session_state.pop(_REFUSED, None)
    if refused:   # before the form is drawn: the password is cleared, the name stays as typed
        st.session_state["manager_password"] = ""
    with st.form("manager_sign_in_form", border=True):
        st.markdown("**Managers sign in** to upload data, undo uploads and edit the charter.")
        name = st.text_input("Your name (recorded in the audit log)", key="manager_name", max_chars=80)
        password = st.text_input("Manager password", type="password", key="manager_password")
        submitted = st.form_submit_button("Sign in", type="primary", icon=":material/login:")
    if refused:
        st.error(refused)
    if not submitted:
        return
    if not password:   # not a guess: not counted towards the lockout
        st.error("Type the manager password to sign in.")
        return
    wait = _locked_for()
    if wait:
        _refuse(f"Too many wrong passwords. Try again in {wait} seconds.")
    stored = _configured_hash()
    if stored and verify_password(password, stored):
        _forget_failures()
        st.session_state.pop(_ENDED, None)
        st.session_state.pop(_ENDED_TOKEN, None)
        # 80 characters, as the field allows: a name any longer would not fit the cookie's shape
        st.session_state[_SESSION] = issue_session_token(f"{name.strip()[:80] or 'manager'} (password)", stored)
        st.rerun()
    _record_failure(name)
    _refuse("That password is not right. Nothing was changed.")


def _refuse(message: str) -> None:
    """Say why, with the password field emptied and the name kept: the form used to clear both, and
    the manager who typed only the password again was audited as 'manager'."""
    st.session_state[_REFUSED] = message
    st.rerun()
