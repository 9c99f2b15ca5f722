from django.urls import path

from . import views

app_name = "statistik"

urlpatterns = [
    path("", views.snapshot_list, name="snapshots"),
    path("<int:snapshot_id>/", views.snapshot_detail, name="snapshot"),
    path("<int:snapshot_id>/laporan.pdf", views.report_download, {"kind": "pdf"}, name="report_pdf"),
    path("<int:snapshot_id>/laporan.xlsx", views.report_download, {"kind": "xlsx"}, name="report_xlsx"),
    path("<int:snapshot_id>/tabel/<int:number>.xlsx", views.table_download, name="table_xlsx"),
    path("<int:snapshot_id>/kecamatan/<str:kode>/", views.snapshot_detail, name="kecamatan"),
    path(
        "<int:snapshot_id>/kecamatan/<str:kode>/tabel/<int:number>.xlsx",
        views.table_download,
        name="kecamatan_table_xlsx",
    ),
    path("banding/", views.comparison, name="comparison"),
    path("banding/perbandingan.xlsx", views.comparison_download, name="comparison_xlsx"),
]
