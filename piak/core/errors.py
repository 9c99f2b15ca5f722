"""Typed domain errors: a stable code for programs, a clear Indonesian message for people."""


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code

    def __str__(self) -> str:
        return self.message


class PermissionDeniedError(DomainError):
    code = "permission_denied"


class ValidationFailed(DomainError):
    code = "invalid"
