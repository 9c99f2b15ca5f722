from django.urls import path

from . import views

app_name = "sop"
urlpatterns = [
    path("tugas/", views.inbox, name="inbox"),
    path("sop/", views.sop_list, name="list"),
    path("sop/<slug:kode>/", views.sop_document, name="document"),
    path("sop/<slug:kode>/pdf/", views.sop_document_download, name="document_pdf"),
    path("sop/<slug:kode>/versi-baru/", views.sop_new_version, name="new_version"),
    path("sop/<slug:kode>/mulai/", views.start, name="start"),
    path("berkas/", views.case_list, name="cases"),
    path("berkas/<int:pk>/", views.case_detail, name="case"),
    path("berkas/<int:pk>/dokumen/<int:nomor>/", views.document_download, name="document_download"),
    path("berkas/<int:pk>/lembar.pdf", views.lembar_download, name="lembar"),
    path("berkas/<int:pk>/<slug:action>/", views.case_action, name="action"),
    path("kepatuhan/", views.compliance, name="compliance"),
    path("kepatuhan/laporan.xlsx", views.compliance_xlsx_download, name="compliance_xlsx"),
    path("kepatuhan/pdf/", views.compliance_pdf_request, name="compliance_pdf_request"),
    path("kepatuhan/pdf/<int:pk>/", views.compliance_pdf_status, name="compliance_pdf"),
    path("kepatuhan/pdf/<int:pk>/unduh/", views.compliance_pdf_download, name="compliance_pdf_download"),
    path("notifikasi/", views.notifications, name="notifications"),
    path("notifikasi/<int:pk>/baca/", views.notification_read, name="notification_read"),
]
