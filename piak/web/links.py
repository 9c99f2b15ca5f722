"""Absolute links that leave the office (QR codes, verification and download links, emails) are built from
one setting, `PIAK_PUBLIC_URL`, never from the request: a letter signed behind a proxy, or by the worker,
must point at the address the agencies can reach."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.urls import reverse


def public_url(path: str) -> str:
    """The public address of a path on this site (`/verifikasi/…/` → `https://host/verifikasi/…/`)."""
    return settings.PIAK_PUBLIC_URL.rstrip("/") + "/" + path.lstrip("/")


def public_reverse(viewname: str, *args) -> str:
    return public_url(reverse(viewname, args=args))


@register(Tags.security, deploy=True)
def check_public_url(app_configs, **kwargs) -> list[Error]:
    """`check --deploy`: the public address must be an absolute https address without a path."""
    value = getattr(settings, "PIAK_PUBLIC_URL", "") or ""
    parts = urlsplit(value)
    if not parts.scheme or not parts.netloc:
        problem = "belum diisi" if not value else f"bukan alamat lengkap ({value!r})"
    elif parts.scheme != "https":
        problem = f"tidak memakai https ({value})"
    elif parts.path.strip("/") or parts.query or parts.fragment:
        problem = f"memuat path atau query ({value}); isi hanya skema dan nama host, mis. https://piak.palembang.go.id"
    else:
        return []
    return [
        Error(
            f"PIAK_PUBLIC_URL {problem}. Alamat publik ini dicetak di kode QR setiap surat dan di tautan surel "
            "untuk instansi; isi dengan alamat https yang dapat dibuka dari luar kantor.",
            id="piak.E001",
        )
    ]
