"""Password hashing (Argon2id) and the password policy.

Policy (NIST SP 800-63B): at least 8 characters, long passphrases welcome, no composition rules,
and weak or common passwords refused using zxcvbn's word lists and pattern checks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from zxcvbn import zxcvbn

MIN_LENGTH = 8
MAX_LENGTH = 256
#: zxcvbn scores 0 to 4; 3 means "safely unguessable" by an online attacker.
MIN_SCORE = 3
#: zxcvbn's cost grows with length; a passphrase this long is never the weak one.
_SCORED_PREFIX = 64

# OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 iterations, 1 degree of parallelism.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)


def hash_password(password: str) -> str:
    """The password's Argon2id hash, salted, for storing."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the stored hash; False (never an error) for a damaged hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the password does: emailed links made for one password stop working after a change."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:20]


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with older parameters and should be replaced at next sign-in."""
    return _hasher.check_needs_rehash(password_hash)


#: Spent on a sign-in for an unknown address so its timing matches a wrong password.
DUMMY_HASH = hash_password("not a real password, only for timing")


def password_problem(password: str, related: Iterable[str] = ()) -> str | None:
    """What is wrong with `password`, in words a person can act on, or None if it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH} characters or fewer"
    if len(password) >= _SCORED_PREFIX:
        return None
    inputs: list[str] = []
    for value in related:
        words = value.lower().replace("@", " ").replace(".", " ").split()
        inputs += [*words, "".join(words)]
    result = zxcvbn(password, user_inputs=[*inputs, "common", "ground", "commonground"])
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    advice = feedback.get("warning") or ""
    suggestions = " ".join(feedback.get("suggestions") or [])
    message = "This password is too easy to guess."
    if advice:
        message += f" {advice.rstrip('.')}."
    message += " " + (suggestions or "Try a few unrelated words together, for example three random words.")
    return message.strip()
