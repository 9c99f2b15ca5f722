from django.urls import path

from . import views

app_name = "statistik"

urlpatterns = [
    path("", views.snapshot_list, name="snapshots"),
    path("<int:snapshot_id>/", views.snapshot_detail, name="snapshot"),
    path("<int:snapshot_id>/laporan.pdf", views.report_download, {"kind": "pdf"}, name="report_pdf"),
    path("<int:snapshot_id>/laporan.xlsx", views.report_download, {"kind": "xlsx"}, name="report_xlsx"),
]
