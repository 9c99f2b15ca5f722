"""An untrusted PDF's signature is checked in a child process with bounded memory, CPU and inflated size.

A PDF of a hundred kilobytes can hold streams that inflate to gigabytes (an XRef or object stream bomb);
parsing it in the web process would cost that process its memory and minutes of CPU. The child first
inflates every Flate stream chunk by chunk, counting and discarding the output, and gives up past
`PIAK_VERIFIKASI_MAX_INFLATED_BYTES`; only then does pyHanko parse the file. `RLIMIT_AS` and `RLIMIT_CPU`
bound whatever slips past that count, and the parent kills the child after a wall-clock timeout. Run as
`python -m piak.naskah.pdf_sandbox LIMITS CERT…` with the PDF on stdin; it prints one JSON object.
"""

import base64
import json
import re
import resource
import subprocess
import sys
import zlib
from datetime import datetime

from .signing import SignatureCheck

IN_CHUNK = 64 * 1024
OUT_CHUNK = 1024 * 1024
STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
TOO_HEAVY = (
    "Berkas ditolak: isinya mengembang jauh melebihi ukuran sebuah surat bila dibuka (kemungkinan bom "
    "dekompresi) atau terlalu berat untuk diperiksa. Unggah berkas PDF asli yang diterima dari Disdukcapil."
)


# --- the parent's side ----------------------------------------------------------------------------


def sandboxed_signature_check(
    pdf: bytes, trust_roots: list, *, memory_bytes: int, cpu_seconds: int, inflated_bytes: int
) -> SignatureCheck:
    """`signing.pdf_signature_check` of an untrusted `pdf`, run in a bounded child process."""
    limits = json.dumps({"memory": memory_bytes, "cpu": cpu_seconds, "inflated": inflated_bytes})
    certificates = [base64.b64encode(root.dump()).decode() for root in trust_roots]
    try:
        child = subprocess.run(
            [sys.executable, "-m", __name__, limits, *certificates],
            input=pdf,
            capture_output=True,
            timeout=2 * cpu_seconds + 5,
        )
    except subprocess.TimeoutExpired:
        return SignatureCheck(False, TOO_HEAVY)
    if child.returncode != 0:
        return SignatureCheck(False, TOO_HEAVY)
    outcome = json.loads(child.stdout)
    signed_at = datetime.fromisoformat(outcome["signed_at"]) if outcome["signed_at"] else None
    return SignatureCheck(outcome["valid"], outcome["reason"], outcome["signer"], signed_at)


# --- the child's side -----------------------------------------------------------------------------


def inflated_size(pdf: bytes, budget: int) -> int:
    """Bytes the PDF's Flate streams inflate to, counted until past `budget`; nothing is kept."""
    data = memoryview(pdf)
    total = 0
    for start in STREAM_START.finditer(pdf):
        total += _stream_inflated_size(data[start.end() :], budget - total)
        if total > budget:
            break
    return total


def _stream_inflated_size(data: memoryview, budget: int) -> int:
    inflater = zlib.decompressobj()
    total = position = 0
    pending = b""
    try:
        while not inflater.eof and total <= budget:
            if not pending:
                if position >= len(data):
                    break
                pending = data[position : position + IN_CHUNK]
                position += IN_CHUNK
            total += len(inflater.decompress(pending, OUT_CHUNK))
            pending = inflater.unconsumed_tail
    except zlib.error:
        pass  # not a Flate stream (an image, or the bytes after a stream keyword in text)
    return total


def main(argv: list[str]) -> int:
    limits = json.loads(argv[0])
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
    pdf = sys.stdin.buffer.read()
    if inflated_size(pdf, limits["inflated"]) > limits["inflated"]:
        check = SignatureCheck(False, TOO_HEAVY)
    else:
        from asn1crypto import x509

        from .signing import pdf_signature_check

        roots = [x509.Certificate.load(base64.b64decode(certificate)) for certificate in argv[1:]]
        check = pdf_signature_check(pdf, roots)
    signed_at = check.signed_at.isoformat() if check.signed_at else None
    sys.stdout.write(json.dumps({**check.__dict__, "signed_at": signed_at}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
