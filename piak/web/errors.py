"""Error reports (the DEBUG 500 page, the error e-mail to admins) that never show a full NIK or No. KK.

A traceback shows the request's data, the local variables of every frame and the exception's message;
any of them may hold a resident's number (a search, a form, a row of an import). Every 16-digit number
in them is shown as the masked view shows it (`piak.core.masking`), whether DEBUG is on or off.
"""

from django.http import QueryDict
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from piak.core.masking import identity_numbers_mask


class _MaskedRepr:
    """Stands for a frame variable on the report: its repr with the identity numbers masked."""

    def __init__(self, value: object) -> None:
        try:
            self.text = identity_numbers_mask(repr(value))
        except Exception as error:  # a broken __repr__ must not break the error report
            self.text = f"<{type(value).__name__}: repr failed ({error!r})>"

    def __repr__(self) -> str:
        return self.text


def _masked_query(data: QueryDict) -> QueryDict:
    masked = QueryDict(mutable=True)
    for key, values in data.lists():
        masked.setlist(key, [identity_numbers_mask(v) if isinstance(v, str) else v for v in values])
    return masked


class IdentityMaskingReporterFilter(SafeExceptionReporterFilter):
    """Django's filter (passwords, keys) plus masked identity numbers in request data and variables."""

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        return _masked_query(parameters) if isinstance(parameters, QueryDict) else parameters

    def get_safe_request_meta(self, request):
        return {
            key: identity_numbers_mask(value) if isinstance(value, str) else value
            for key, value in super().get_safe_request_meta(request).items()
        }

    def get_traceback_frame_variables(self, request, tb_frame):
        return [(name, _MaskedRepr(value)) for name, value in super().get_traceback_frame_variables(request, tb_frame)]


class IdentityMaskingExceptionReporter(ExceptionReporter):
    """What the filter does not see (the exception's message, the query string, the URL, source lines)
    is masked in the finished report."""

    def get_traceback_html(self):
        return identity_numbers_mask(super().get_traceback_html())

    def get_traceback_text(self):
        return identity_numbers_mask(super().get_traceback_text())
