"""The certificate's QR code (``pdf.qr_modules``, a faster path through reportlab's encoder) is
module for module the code reportlab's own ``QRCode.make`` produces — same version, same mask,
same error correction — for short and long values, digits only, upper-case and mixed text."""

import random
import string

import pytest
from reportlab.graphics.barcode import qrencoder

from zhicheng.certificates import pdf


def _reportlab(value: str) -> list[list[bool]]:
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.L)
    qr.addData(value)
    qr.make()
    return qr.modules


def _samples() -> list[str]:
    rnd = random.Random(13)
    values = [
        pdf.verification_url("320100012026000009", "李娜", "http://127.0.0.1:8000", "AB12CD34"),
        pdf.verification_url("320100012026000010", "欧阳某某某", "https://zc.example.cn", ""),
        "1",
        "HELLO WORLD",
    ]
    alphabet = string.ascii_letters + string.digits + "%&=/?:.-"
    for length in (10, 40, 80, 120, 160, 240, 400):  # versions 1 to 13 (7+: version info)
        values.append("".join(rnd.choice(alphabet) for _ in range(length)))
        values.append("".join(rnd.choice(string.digits) for _ in range(length)))
        values.append(
            "".join(rnd.choice(string.ascii_uppercase + " $%*+-./:") for _ in range(length))
        )
    return values


@pytest.mark.parametrize("value", _samples())
def test_the_modules_are_reportlabs(value):
    assert pdf.qr_modules(value) == _reportlab(value)
