from campaigns.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password


def test_a_password_is_stored_as_an_argon2id_hash_with_owasp_parameters():
    stored = hash_password("correct horse battery staple")
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password(stored, "correct horse battery staple")
    assert not verify_password(stored, "Correct horse battery staple")
    assert not needs_rehash(stored)


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_next_sign_in():
    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("correct horse battery staple")
    assert verify_password(old, "correct horse battery staple")
    assert needs_rehash(old)


def test_garbage_in_the_hash_column_never_verifies():
    assert not verify_password("not-a-hash", "anything")


def test_passwords_shorter_than_eight_characters_are_refused():
    assert password_problem("Zq7!x2") == "Password must be at least 8 characters"


def test_very_long_passphrases_are_welcome():
    assert password_problem("many words " * 20) is None
    assert password_problem("x" * 257) == "Password must be 256 characters or fewer"


def test_common_passwords_are_refused_with_advice():
    problem = password_problem("password1")
    assert problem is not None
    assert "too easy to guess" in problem
    assert "common password" in problem


def test_a_password_made_of_the_persons_own_name_is_refused():
    assert password_problem("janesmith2024", ["Jane Smith", "jane@example.org"]) is not None


def test_no_composition_rules_for_a_strong_lowercase_passphrase():
    assert password_problem("marmalade tractor umbrella") is None
