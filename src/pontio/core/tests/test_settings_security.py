"""Security settings as they are in production (not as the test run overrides them)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings

import pontio.settings as real_settings

SRC = Path(real_settings.__file__).resolve().parent.parent


def test_production_hashes_passwords_with_argon2() -> None:
    """The test run uses a fast hasher (tests/conftest.py); the real settings must not."""
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "MD5" not in " ".join(real_settings.PASSWORD_HASHERS)
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        encoded = make_password("A-long-new-passphrase-42")
        assert encoded.startswith("argon2$")
        assert identify_hasher(encoded).algorithm == "argon2"


def test_password_rules_need_twelve_characters() -> None:
    lengths = [
        v.get("OPTIONS", {}).get("min_length")
        for v in real_settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [12]


def _production_settings(**env: str) -> subprocess.CompletedProcess[str]:
    code = (
        "import json, pontio.settings as s; print(json.dumps({k: str(getattr(s, k, None)) for k in "
        "['DEBUG','SESSION_COOKIE_SECURE','CSRF_COOKIE_SECURE','LANGUAGE_COOKIE_SECURE',"
        "'SECURE_SSL_REDIRECT','SECURE_HSTS_SECONDS','SESSION_COOKIE_HTTPONLY',"
        "'X_FRAME_OPTIONS','TASKS','STORAGES']}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PONTIO_", "DJANGO_"))}
    clean.pop("SECRET_KEY", None)
    clean.update({"PYTHONPATH": str(SRC), "DATABASE_URL": "sqlite:////tmp/unused.sqlite3"})
    clean.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean, check=False
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = _production_settings(PONTIO_ENV="production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_are_secure() -> None:
    result = _production_settings(PONTIO_ENV="production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    values: dict[str, Any] = json.loads(result.stdout)
    assert values["DEBUG"] == "False"
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["CSRF_COOKIE_SECURE"] == "True"
    assert values["LANGUAGE_COOKIE_SECURE"] == "True"
    assert values["SECURE_SSL_REDIRECT"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert "DatabaseBackend" in values["TASKS"]  # tasks run by the worker, not inline
    assert "CompressedManifestStaticFilesStorage" in values["STORAGES"]


@pytest.mark.parametrize("directive", ["script-src", "style-src", "default-src"])
def test_content_security_policy_allows_no_inline_code(directive: str) -> None:
    sources = real_settings.CONTENT_SECURITY_POLICY["DIRECTIVES"][directive]
    assert sources == ["'self'"]
