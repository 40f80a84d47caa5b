"""`python cli.py set-manager-password`: a separate process, as an administrator runs it, writing a
real secrets file that components.auth then checks passwords against."""
from __future__ import annotations

import fcntl
import os
import stat
import subprocess
import sys
import termios
import time
import tomllib
from pathlib import Path

import pytest

from components.auth import ENV_HASH as ENV_HASH_NAME, SECRET_HASH, verify_password

PROJECT_ROOT = Path(__file__).resolve().parents[1]
GOOD = "correct horse battery"


def set_password(secrets: Path, stdin: str, *extra: str) -> subprocess.CompletedProcess:
    environment = {**os.environ}
    environment.pop("CHARTERDESK_DEBUG", None)
    environment.pop("CHARTERDESK_MANAGER_PASSWORD_HASH", None)
    return subprocess.run([sys.executable, str(PROJECT_ROOT / "cli.py"), "set-manager-password",
                           "--secrets", str(secrets), *extra],
                          cwd=PROJECT_ROOT, env=environment, input=stdin, capture_output=True, text=True, timeout=60)


def stored_hash(secrets: Path) -> str:
    return tomllib.loads(secrets.read_text(encoding="utf-8"))[SECRET_HASH]


def test_password_from_stdin_is_stored_as_a_hash_that_verifies(tmp_path):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    done = set_password(secrets, GOOD + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and str(secrets) in done.stdout
    text = secrets.read_text(encoding="utf-8")
    assert GOOD not in text                           # only the salted hash is kept
    assert stored_hash(secrets).startswith("scrypt$")
    assert verify_password(GOOD, stored_hash(secrets))
    assert not verify_password(GOOD + "!", stored_hash(secrets))
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600


def test_other_secrets_and_comments_are_kept_and_the_hash_replaced(tmp_path):
    secrets = tmp_path / "secrets.toml"
    original = ('# production secrets\nsmtp_password = "keep me"\n\n[auth]\nredirect_uri = '
                '"https://desk.example.org/oauth2callback"  # the proxy address\n\n[managers]\nemails = ["a@example.org"]\n')
    secrets.write_text(original, encoding="utf-8")
    assert set_password(secrets, "first password 123\n").returncode == 0
    first = stored_hash(secrets)
    # Two lines that agree (what `printf '%s\n%s\n' "$pw" "$pw" | ...` sends) replace the hash.
    assert set_password(secrets, "second password 456\nsecond password 456\n").returncode == 0
    text = secrets.read_text(encoding="utf-8")
    assert text.count(SECRET_HASH) == 1 and stored_hash(secrets) != first
    assert verify_password("second password 456", stored_hash(secrets))
    assert not verify_password("first password 123", stored_hash(secrets))
    assert text.startswith('# production secrets\nsmtp_password = "keep me"\n')
    assert '[auth]\nredirect_uri = "https://desk.example.org/oauth2callback"  # the proxy address\n' in text
    parsed = tomllib.loads(text)
    assert parsed["managers"] == {"emails": ["a@example.org"]} and parsed["smtp_password"] == "keep me"


@pytest.mark.parametrize("stdin, expected", [
    pytest.param("", "empty", id="nothing"),
    pytest.param("\n", "empty", id="empty-line"),
    pytest.param("          \n", "empty", id="spaces-only"),
    pytest.param("123456789\n", "shorter than 10 characters", id="nine-chars"),
    pytest.param("long enough 1\nlong enough 2\n", "differ", id="mismatch"),
])
def test_refused_passwords_exit_2_and_change_nothing(tmp_path, stdin, expected):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('manager_password_hash = "scrypt$keep"\nother = 1\n', encoding="utf-8")
    done = set_password(secrets, stdin)
    assert done.returncode == 2
    assert done.stderr.startswith("refused: ") and expected in done.stderr and "nothing was changed" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert secrets.read_text(encoding="utf-8") == 'manager_password_hash = "scrypt$keep"\nother = 1\n'
    # Exactly ten characters is long enough.
    assert set_password(secrets, "0123456789\n").returncode == 0
    assert verify_password("0123456789", stored_hash(secrets))


def test_an_unwritable_secrets_path_fails_without_a_traceback(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    done = set_password(blocker / "secrets.toml", GOOD + "\n")
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr


def _controlling_terminal(slave: int):
    def attach():
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
    return attach


def test_at_a_terminal_the_password_is_asked_twice_and_not_echoed(tmp_path):
    """With a real pseudo-terminal as the controlling terminal, as when an administrator types it."""
    secrets = tmp_path / "secrets.toml"
    master, slave = os.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("CHARTERDESK_DEBUG",
                                                                     "CHARTERDESK_MANAGER_PASSWORD_HASH")}
    process = subprocess.Popen([sys.executable, str(PROJECT_ROOT / "cli.py"), "set-manager-password",
                                "--secrets", str(secrets)], cwd=PROJECT_ROOT, env=environment,
                               stdin=slave, stdout=slave, stderr=slave, preexec_fn=_controlling_terminal(slave))
    os.close(slave)
    shown = b""

    def read_until(marker: bytes, seconds: float = 30) -> None:
        nonlocal shown
        deadline = time.monotonic() + seconds
        while marker not in shown and time.monotonic() < deadline:
            try:
                shown += os.read(master, 1024)
            except OSError:
                break

    try:
        read_until(b"New manager password: ")
        os.write(master, (GOOD + "\n").encode())
        read_until(b"Type it again: ")
        os.write(master, (GOOD + "\n").encode())
        read_until(b"manager password set")
        assert process.wait(timeout=60) == 0, shown
        read_until(b"by itself", 5)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert b"New manager password: " in shown and b"Type it again: " in shown
    assert GOOD.encode() not in shown  # the terminal never showed what was typed
    assert verify_password(GOOD, stored_hash(secrets))


def test_a_stale_world_readable_temporary_file_does_not_lend_its_mode(tmp_path):
    secrets = tmp_path / "secrets.toml"
    stale = tmp_path / "secrets.toml.tmp"   # left by an earlier run that was killed
    stale.write_text("old", encoding="utf-8")
    stale.chmod(0o644)
    assert set_password(secrets, GOOD + "\n").returncode == 0
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    assert verify_password(GOOD, stored_hash(secrets))


def test_a_symlinked_secrets_file_is_updated_where_it_points(tmp_path):
    real = tmp_path / "etc" / "secrets.toml"
    real.parent.mkdir()
    real.write_text('smtp_password = "keep me"\n', encoding="utf-8")
    link = tmp_path / "secrets.toml"
    link.symlink_to(real)
    assert set_password(link, GOOD + "\n").returncode == 0
    assert link.is_symlink()
    assert verify_password(GOOD, stored_hash(real)) and 'smtp_password = "keep me"' in real.read_text()


def test_a_secrets_file_that_is_not_toml_or_a_password_that_is_not_text_is_refused_plainly(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("[auth\n", encoding="utf-8")
    done = set_password(secrets, GOOD + "\n")
    assert done.returncode == 1 and "is not a valid TOML file" in done.stderr and "Traceback" not in done.stderr
    assert secrets.read_text(encoding="utf-8") == "[auth\n"
    environment = {k: v for k, v in os.environ.items() if k not in ("CHARTERDESK_DEBUG", ENV_HASH_NAME)}
    fresh = tmp_path / "fresh.toml"
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "cli.py"), "set-manager-password", "--secrets",
                           str(fresh)], cwd=PROJECT_ROOT, env=environment, input=b"abc\xff\xfedefghijkl\n",
                          capture_output=True, timeout=60)
    assert done.returncode == 2 and b"the password is not UTF-8 text" in done.stderr
    assert not fresh.exists()
