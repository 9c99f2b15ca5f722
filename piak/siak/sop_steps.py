"""What SOP 2's steps need: the engine asks this handler (piak.sop.handlers)."""

from piak.sop.handlers import SopHandler


class Sop2Handler(SopHandler):
    kode = "sop-2"
