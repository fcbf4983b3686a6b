from django.urls import path

from . import views, views_accounts, views_settings, views_wizard

app_name = "clusters"
urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("clusters/new/", views_wizard.wizard, name="cluster_wizard"),
    path("clusters/new/<slug:step>/", views_wizard.wizard, name="cluster_wizard_step"),
    path("clusters/<uuid:cluster>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<uuid:cluster>/settings/", views_settings.settings_index, name="settings"),
    path(
        "clusters/<uuid:cluster>/settings/roles/",
        views_settings.settings_roles,
        name="settings_roles",
    ),
    path(
        "clusters/<uuid:cluster>/settings/rotation/",
        views_settings.settings_rotation,
        name="settings_rotation",
    ),
    path(
        "clusters/<uuid:cluster>/settings/rotation-rule/",
        views_settings.settings_rotation_rule,
        name="settings_rotation_rule",
    ),
    path("clusters/<uuid:cluster>/<int:year>/", views.year_detail, name="year_detail"),
    path("clusters/<uuid:cluster>/<int:year>/edit/", views.year_edit, name="year_edit"),
    path(
        "clusters/<uuid:cluster>/<int:year>/next-leadership/",
        views.leadership_next,
        name="leadership_next",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/conferences/new/",
        views.conference_create,
        name="conference_create",
    ),
    path("conferences/<uuid:conference>/", views.conference_detail, name="conference_detail"),
    path("conferences/<uuid:conference>/edit/", views.conference_edit, name="conference_edit"),
    path("units/<uuid:unit>/", views.unit_detail, name="unit_detail"),
    path("units/<uuid:unit>/people/", views.unit_people, name="unit_people"),
    path("units/<uuid:unit>/people/new/", views.person_edit, name="person_create"),
    path("units/<uuid:unit>/people/<uuid:person>/", views.person_edit, name="person_edit"),
]

urlpatterns += [
    path(
        "units/<uuid:unit>/invitations/new/",
        views_accounts.invitation_create,
        name="invitation_create",
    ),
    path(
        "invitations/<uuid:invitation>/resend/",
        views_accounts.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<uuid:invitation>/cancel/",
        views_accounts.invitation_cancel,
        name="invitation_cancel",
    ),
    path(
        "invitations/accept/<str:token>/",
        views_accounts.invitation_accept,
        name="invitation_accept",
    ),
    path("units/<uuid:unit>/terms/<uuid:term>/end/", views_accounts.term_end, name="term_end"),
    path(
        "clusters/<uuid:cluster>/<int:year>/invitations/import/",
        views_accounts.invitation_import,
        name="invitation_import",
    ),
    path(
        "clusters/<uuid:cluster>/<int:year>/invitations/import/confirm/",
        views_accounts.invitation_import_confirm,
        name="invitation_import_confirm",
    ),
    path(
        "conferences/<uuid:conference>/people/<uuid:person>/invite/",
        views_accounts.conference_person_invite,
        name="conference_person_invite",
    ),
]
