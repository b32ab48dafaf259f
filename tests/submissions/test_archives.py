"""DOCX and ODT files are zip archives: telling them apart reads a few bytes of one part, whatever the archive
claims, so a small file that would unpack to gigabytes ("a zip bomb") costs next to nothing to refuse."""

from __future__ import annotations

import contextlib
import io
import struct
import tracemalloc
import zipfile

import pytest
import sqlalchemy as sa

from campaigns.extensions import db
from campaigns.submissions import uploads
from campaigns.submissions.models import Attachment
from campaigns.submissions.uploads import ODT, ArchiveRefused, sniff
from tests.submissions.builders import send, signed_statement

MB = 1024 * 1024
ODT_TYPE = ODT.encode()


def _archive(*members: tuple[str, bytes | int], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of `members`: (name, content), or (name, n) for n zero bytes written a megabyte at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in members:
            with archive.open(name, "w") as entry:
                if isinstance(content, bytes):
                    entry.write(content)
                    continue
                chunk = b"\0" * MB
                for _ in range(content // MB):
                    entry.write(chunk)
    return buffer.getvalue()


def _claiming(data: bytes, name: bytes, size: int) -> bytes:
    """`data` with the sizes recorded for entry `name` replaced by `size`: an archive that lies about itself."""
    forged = bytearray(data)
    at = forged.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", forged, at + 28)[0]
        if forged[at + 46 : at + 46 + name_length] == name:
            struct.pack_into("<L", forged, at + 24, size)
            local = struct.unpack_from("<L", forged, at + 42)[0]
            struct.pack_into("<L", forged, local + 22, size)
        at = forged.find(b"PK\x01\x02", at + 4)
    return bytes(forged)


def _peak_while(work) -> int:
    """Bytes of memory `work` took at its peak, beyond what was allocated before."""
    tracemalloc.start()
    try:
        with contextlib.suppress(ArchiveRefused):
            work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """An ODT whose first part, `mimetype`, unpacks to 200 MB: about 200 KB on the wire."""
    return _archive(("mimetype", 200 * MB), ("content.xml", b"<office:document-content/>"))


def test_a_small_archive_that_unpacks_to_hundreds_of_megabytes_is_refused_at_little_cost(bomb):
    assert len(bomb) < 400 * 1024
    with pytest.raises(ArchiveRefused):
        sniff(bomb)
    assert _peak_while(lambda: sniff(bomb)) < 2 * MB


def test_an_archive_that_hides_its_size_is_read_only_a_few_bytes_at_a_time(bomb):
    liar = _claiming(bomb, b"mimetype", len(ODT_TYPE))
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("mimetype").file_size == len(ODT_TYPE)
    assert sniff(liar) is None  # not a document: its first bytes are zeros
    assert _peak_while(lambda: sniff(liar)) < 2 * MB


def test_an_archive_of_too_many_parts_is_refused_before_they_are_listed():
    many = _archive(("mimetype", ODT_TYPE), *((f"part{n}.xml", b"x") for n in range(uploads.MAX_ENTRIES + 1)))
    with pytest.raises(ArchiveRefused):
        sniff(many)


def test_a_part_that_claims_an_impossible_ratio_is_refused():
    stored = _archive(("mimetype", ODT_TYPE), ("content.xml", b"<doc/>"), method=zipfile.ZIP_STORED)
    with pytest.raises(ArchiveRefused):
        sniff(_claiming(stored, b"content.xml", 50 * MB))


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_parts_packed_in_ways_that_cannot_be_read_a_little_at_a_time_are_not_read(method):
    assert sniff(_archive(("mimetype", ODT_TYPE), ("content.xml", b"<doc/>"), method=method)) is None


def test_real_documents_are_still_recognised():
    paragraphs = (
        f"<w:p>Paragraph {n}: councils in {n % 317} areas face a gap of £{n * 7919 % 100003}.</w:p>"
        for n in range(20000)
    )
    body = "".join(paragraphs).encode()
    docx = _archive(("[Content_Types].xml", b"<Types/>"), ("word/document.xml", body))
    odt = _archive(("mimetype", ODT_TYPE), ("content.xml", body))
    assert sniff(docx) == uploads.DOCX
    assert sniff(odt) == ODT


def test_uploading_a_zip_bomb_is_refused_with_a_clear_message_and_nothing_is_kept(client, bomb):
    p = signed_statement()
    [submission] = send(p)
    client.login(p.council_editor)
    response = client.post(
        f"/statements/{p.statement.slug}/submissions/{submission.id}/attachments",
        data={"file": (io.BytesIO(bomb), "reply.odt")},
    )
    assert response.status_code == 400
    assert "would unpack to far more than its size" in response.text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
