"""Error reports (DEBUG 500 page, admins' e-mail) never show a full NIK or No. KK."""

import sys

from django.test import RequestFactory
from django.views.debug import get_exception_reporter_class, get_exception_reporter_filter

from piak.web.errors import IdentityMaskingExceptionReporter, IdentityMaskingReporterFilter

NIK = "1671011505800001"
KK = "1671012003150001"


def _report(request, *, debug: bool, settings) -> tuple[str, str]:
    settings.DEBUG = debug
    resident_nik = NIK  # noqa: F841 (a local variable the report shows)
    try:
        raise ValueError(f"NIK {NIK} tidak ditemukan di KK {KK}")
    except ValueError:
        reporter_class = get_exception_reporter_class(request)
        reporter = reporter_class(request, *sys.exc_info())
        return reporter.get_traceback_html(), reporter.get_traceback_text()


def test_the_settings_name_the_masking_filter_and_reporter(rf: RequestFactory):
    request = rf.get("/")
    assert isinstance(get_exception_reporter_filter(request), IdentityMaskingReporterFilter)
    assert get_exception_reporter_class(request) is IdentityMaskingExceptionReporter


def test_no_full_number_on_the_debug_page_or_in_the_text_report(rf: RequestFactory, settings):
    for request in (
        rf.post("/penduduk/", {"q": NIK, "no_kk_tujuan": KK}, HTTP_REFERER=f"http://x/?q={NIK}"),
        rf.get("/penduduk/", {"q": NIK}),
    ):
        for debug in (True, False):
            html, text = _report(request, debug=debug, settings=settings)
            for report in (html, text):
                assert NIK not in report and KK not in report
                assert "167101xxxxxxxxxx" in report
    # The report is still useful: the exception and the variable's name are there.
    assert "tidak ditemukan di KK" in html and "resident_nik" in html


def test_the_filter_masks_request_data_and_frame_variables_for_any_reporter(rf: RequestFactory):
    request = rf.post("/penduduk/", {"q": NIK, "nama": "AHMAD"}, HTTP_REFERER=f"http://x/?q={NIK}")
    report_filter = IdentityMaskingReporterFilter()
    assert dict(report_filter.get_post_parameters(request).items()) == {"q": "167101xxxxxxxxxx", "nama": "AHMAD"}
    assert report_filter.get_safe_request_meta(request)["HTTP_REFERER"] == "http://x/?q=167101xxxxxxxxxx"
    resident = {"nik": NIK}  # noqa: F841 (read from the frame below)
    variables = dict(report_filter.get_traceback_frame_variables(request, sys._getframe()))
    assert repr(variables["resident"]) == "{'nik': '167101xxxxxxxxxx'}"
