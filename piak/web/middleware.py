import sys
from functools import wraps

from django.conf import settings
from django.core.signals import got_request_exception
from django.db.utils import OperationalError
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose another language on the page (the language cookie).

    The browser's Accept-Language is ignored: the office's computers are often set to English, and the
    system must still speak Indonesian to its staff by default.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        translation.activate(chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()


def personal_data_response(view):
    """Mark a view's responses as personal data: no browser, proxy or back-button cache keeps them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        response["Pragma"] = "no-cache"
        return response

    return wrapper


DATABASE_BUSY_SECONDS = 10  # the Retry-After of the busy page


def database_locked(error: BaseException | None) -> bool:
    """SQLite gave up waiting for another connection's write transaction (its busy timeout passed)."""
    return isinstance(error, OperationalError) and "database is locked" in str(error)


def _note_locked_database(sender, request=None, **kwargs) -> None:
    # Sent while Django handles the exception, wherever it was raised (view, session save, middleware).
    if request is not None and database_locked(sys.exc_info()[1]):
        request.piak_database_locked = True


got_request_exception.connect(_note_locked_database, dispatch_uid="piak.web.database_locked")


class DatabaseBusyMiddleware:
    """A request refused because the embedded database stayed locked gets a 503 page asking to retry.

    On SQLite a writer waits up to the busy timeout for another's write transaction (an import's apply
    window); past it, this page says so in place of a 500. It is the outermost middleware, so it also
    sees a lock hit while the session is saved after the view.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "piak_database_locked", False):
            return self._busy_page(request, failed=response)
        return response

    def _busy_page(self, request, *, failed):
        busy = render(request, "503.html", status=503)
        for name, value in failed.headers.items():  # the inner middlewares' CSP, framing and cache headers
            if name.lower() not in ("content-type", "content-length"):
                busy[name] = value
        busy["Retry-After"] = str(DATABASE_BUSY_SECONDS)
        return busy
