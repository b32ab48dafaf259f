"""Digitally signing submission packs (PDF) with pyHanko, when a signing key and certificate are configured.

The signature covers the whole file, so a recipient's PDF reader shows whether the pack is as Common Ground
produced it. Without CAMPAIGNS_PACK_SIGNING_KEY and CAMPAIGNS_PACK_SIGNING_CERT packs are not signed; the
digest printed in every sent pack can still be checked at /verify/<digest>.
"""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

from flask import current_app

# pyHanko is imported only where a pack is signed: it is large, and sites without a certificate never need it.


@cache
def _signer(key_path: str, cert_path: str, passphrase: str | None) -> Any:
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(key_path, cert_path, key_passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise RuntimeError("The pack signing key or certificate could not be read (CAMPAIGNS_PACK_SIGNING_*).")
    return signer


def signing_configured() -> bool:
    config = current_app.config
    return bool(config.get("CAMPAIGNS_PACK_SIGNING_KEY") and config.get("CAMPAIGNS_PACK_SIGNING_CERT"))


def signed(pdf: bytes, *, reason: str) -> bytes:
    """`pdf` with a digital signature over all of it, if signing is configured; otherwise `pdf` as it is."""
    if not signing_configured():
        return pdf
    config = current_app.config
    settings = (
        config["CAMPAIGNS_PACK_SIGNING_KEY"],
        config["CAMPAIGNS_PACK_SIGNING_CERT"],
        config.get("CAMPAIGNS_PACK_SIGNING_PASSPHRASE"),
    )
    # pyHanko signs inside an event loop of its own (asyncio.run), which cannot start in a thread that already
    # runs one (an async server; Playwright in the tests): sign in a thread of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_sign, pdf, settings, reason).result()


def _sign(pdf: bytes, settings: tuple[str, str, str | None], reason: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    metadata = signers.PdfSignatureMetadata(field_name="CommonGroundPack", reason=reason, name="Common Ground")
    output = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=_signer(*settings))
    return output.getvalue()
