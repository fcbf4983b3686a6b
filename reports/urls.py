from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("clusters/<uuid:cluster>/<int:year>/reports/", views.year_reports, name="year"),
    path(
        "clusters/<uuid:cluster>/<int:year>/reports/summary/",
        views.summary_edit,
        name="summary_edit",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/reports/compile/",
        views.summary_compile,
        name="compile",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/reports/signed/",
        views.signed_upload,
        name="signed_upload",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/reports/units/<uuid:unit>/",
        views.unit_report,
        name="unit_report",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/reports/units/<uuid:unit>/submit/",
        views.unit_report_submit,
        name="unit_report_submit",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/reports/units/<uuid:unit>/accept/",
        views.unit_report_accept,
        name="unit_report_accept",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/reports/units/<uuid:unit>/return/",
        views.unit_report_return,
        name="unit_report_return",
    ),
    path("reports/jobs/<uuid:job>/", views.job_row, name="job"),
    path("reports/jobs/<uuid:job>/publish/", views.summary_publish, name="publish"),
    path("reports/jobs/<uuid:job>/<slug:kind>/", views.job_file, name="job_file"),
    path("reports/signed/<uuid:signed>/", views.signed_file, name="signed_file"),
    path("reports/rollup/", views.rollup, name="rollup"),
]
