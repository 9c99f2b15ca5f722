from piak.sop.tests.conftest import letters_storage, office  # noqa: F401
