import string

from zhicheng.accounts.services import generate_default_password


def test_default_passwords_hold_every_character_class():
    for _ in range(300):
        password = generate_default_password()
        assert len(password) == 12
        assert any(c in string.ascii_uppercase for c in password)
        assert any(c in string.ascii_lowercase for c in password)
        assert any(c in string.digits for c in password)
        assert any(c in "@#%&*" for c in password)
