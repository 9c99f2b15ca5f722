"""The demo officials' passwords, one per account (printed by `make run`; also read by the guide's screenshot
script, which runs without Django). Demo only: outside a demo instance (`PIAK_DEMO`) they must be changed at
the first login."""

DEMO_LOGINS: dict[str, str] = {
    "operator": "sungai-musi-2026",
    "kasi.ppd": "jembatan-ampera-2026",
    "kasi.siak": "pempek-kapal-selam-2026",
    "kasi.tik": "bukit-siguntang-2026",
    "kabid": "pulau-kemaro-2026",
    "sekretaris": "benteng-kuto-besak-2026",
    "kadis": "songket-palembang-2026",
    "admin": "kambang-iwak-2026",
}
