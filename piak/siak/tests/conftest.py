from piak.sop.tests.conftest import media_storage  # noqa: F401
