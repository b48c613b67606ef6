"""Password hashing (argon2id) and the password rules of OWASP ASVS 5 (V6.2).

At least 8 characters (15 suggested), up to at least 64 (we allow 128), any characters, no
composition rules, and common or context-specific passwords refused.
"""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
SUGGESTED_LENGTH = 15
MAX_LENGTH = 128
_hasher = PasswordHasher()
_COMMON = Path(__file__).with_name("common-passwords.txt.gz")


@cache
def _common_passwords() -> frozenset[str]:
    with gzip.open(_COMMON, "rt", encoding="utf-8") as f:
        return frozenset(line.strip().lower() for line in f if line.strip())


def password_problems(password: str, *context: str) -> list[str]:
    """Why a new password is refused, in plain words; empty when it is fine."""
    if len(password) < MIN_LENGTH:
        return [f"Use at least {MIN_LENGTH} characters ({SUGGESTED_LENGTH} or more is better). A short phrase works well."]
    if len(password) > MAX_LENGTH:
        return [f"Use at most {MAX_LENGTH} characters."]
    lowered = password.lower()
    if lowered in _common_passwords():
        return ["That password is one of the most common ones. Choose something less predictable."]
    words = {w for text in context for w in re.split(r"[^\w]+", (text or "").lower()) if len(w) >= 4}
    if any(w in lowered for w in words):
        return ["Do not use your name, email address or organisation in your password."]
    return []


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def use_fast_hashing_for_tests() -> None:
    """Cheap argon2 parameters, for test suites only: every hash records its own parameters, so
    verifying works either way, but tests that log in hundreds of times stay fast."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)  # the hash's own parameters are used
    except (VerificationError, InvalidHashError):
        return False


# Verified against when the email is unknown, so a failed login takes the same time either way.
DUMMY_HASH = _hasher.hash("not a real password: timing only")
