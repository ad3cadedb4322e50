import pytest

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 costs most of a second per hash; tests that are not about hashing use MD5.
    ``test_passwords_are_stored_as_argon2_hashes`` restores the project's hashers."""
    settings.PASSWORD_HASHERS = FAST_HASHERS
