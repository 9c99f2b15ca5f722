"""The public verification page defuses PDF bombs: the upload is parsed only in a bounded child process."""

import html
import json
import os
import subprocess
import sys
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from piak.naskah.pdf_sandbox import TOO_HEAVY, inflated_size

MB = 1024 * 1024
RSS_LIMIT_KB = 500 * 1024


def xref_bomb(inflated_mb: int = 100) -> bytes:
    """A small PDF whose cross-reference stream inflates to `inflated_mb` MB (built a megabyte at a time)."""
    deflater = zlib.compressobj(9)
    block = b"\x00" * MB
    stream = b"".join(deflater.compress(block) for _ in range(inflated_mb)) + deflater.flush()
    header = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    header += b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    xref_at = len(header)
    body = b"3 0 obj\n<< /Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n" % len(
        stream
    )
    return header + body + stream + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at


def _measured(env_overrides: dict[str, str], pdf: bytes) -> dict:
    """The sandboxed check of `pdf` run from a fresh process, with that process's and its children's peak RSS
    (a child's `ru_maxrss` includes the fresh process it was forked from: an upper bound)."""
    script = """
import json, resource, sys
import django
django.setup()
from django.conf import settings
from piak.core.testing import peak_rss_kb
from piak.naskah.pdf_sandbox import sandboxed_signature_check
check = sandboxed_signature_check(
    sys.stdin.buffer.read(), [],
    memory_bytes=settings.PIAK_VERIFIKASI_MAX_MEMORY_BYTES,
    cpu_seconds=settings.PIAK_VERIFIKASI_MAX_SECONDS,
    inflated_bytes=settings.PIAK_VERIFIKASI_MAX_INFLATED_BYTES,
)
print(json.dumps({
    "valid": check.valid, "reason": check.reason,
    "self_kb": peak_rss_kb(),
    "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "piak.settings.test", **env_overrides}
    done = subprocess.run(
        [sys.executable, "-c", script], input=pdf, capture_output=True, env=env, check=True, timeout=120
    )
    return json.loads(done.stdout)


def test_the_bomb_is_small_and_inflates_to_100_mb():
    bomb = xref_bomb()
    assert len(bomb) < 200 * 1024
    assert inflated_size(bomb, 200 * MB) == 100 * MB


def test_xref_bomb_is_refused_by_the_inflated_size_cap_with_both_processes_small():
    outcome = _measured({}, xref_bomb())
    assert (outcome["valid"], outcome["reason"]) == (False, TOO_HEAVY)
    assert outcome["self_kb"] < RSS_LIMIT_KB and outcome["children_kb"] < RSS_LIMIT_KB


def test_without_the_cap_the_memory_limit_still_stops_the_child():
    bomb = xref_bomb(inflated_mb=600)
    limits = {
        "PIAK_VERIFIKASI_MAX_INFLATED_BYTES": str(10 * 1024 * MB),
        "PIAK_VERIFIKASI_MAX_MEMORY_BYTES": str(300 * MB),
        "PIAK_VERIFIKASI_MAX_SECONDS": "5",
    }
    outcome = _measured(limits, bomb)
    assert outcome["valid"] is False
    assert outcome["self_kb"] < RSS_LIMIT_KB and outcome["children_kb"] < RSS_LIMIT_KB


def test_anonymous_upload_of_the_bomb_gets_a_clear_refusal(client, signed):
    response = client.post(
        f"/verifikasi/{signed.token_verifikasi}/", {"berkas": SimpleUploadedFile("surat.pdf", xref_bomb())}
    )
    text = html.unescape(response.text)
    assert response.status_code == 200
    assert "<strong>TIDAK SAH</strong>" in text and "kemungkinan bom dekompresi" in text


def test_the_verification_field_states_its_own_limit(settings):
    from piak.naskah.forms import UnggahForm

    settings.PIAK_VERIFIKASI_MAX_BYTES = 10 * MB
    assert str(UnggahForm().fields["berkas"].help_text) == "Diterima: PDF; paling besar 10,0\xa0MB."
