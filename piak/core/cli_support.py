def command_name(word: str) -> str:
    """`verify-audit` → `verify_audit`: people type hyphens, Django modules use underscores."""
    return word if word.startswith("-") else word.replace("-", "_")
