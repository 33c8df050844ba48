from django.urls import path

from . import claim_views, import_views, views

app_name = "actors"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("ny/", views.create, name="create"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("invitationer/<int:pk>/accepter/", views.accept_waiting_invitation, name="accept_waiting_invitation"),
    path("overtagelse/<str:token>/", claim_views.claim_link, name="claim_link"),
    path("importer/", import_views.upload, name="import_upload"),
    path("importer/<int:pk>/", import_views.status, name="import_status"),
    path("importer/<int:pk>/kolonner/", import_views.mapping, name="import_mapping"),
    path("importer/<int:pk>/importer/", import_views.confirm, name="import_confirm"),
    path("importer/<int:pk>/stop/", import_views.cancel, name="import_cancel"),
    path("importer/<int:pk>/fejl.csv", import_views.errors_csv, name="import_errors"),
    path("importer/<int:pk>/plan.csv", import_views.plan_csv, name="import_plan"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/rediger/", views.edit, name="edit"),
    path("<slug:slug>/overtag/", claim_views.claim, name="claim"),
    path("<slug:slug>/overtag/<int:pk>/", claim_views.answer_claim, name="answer_claim"),
    path("<slug:slug>/overtag/<int:pk>/traek-tilbage/", claim_views.withdraw_claim, name="withdraw_claim"),
    path("<slug:slug>/inviter/", views.invite_person, name="invite_person"),
    path("<slug:slug>/invitationer/<int:pk>/tilbagekald/", views.withdraw_invitation, name="withdraw_invitation"),
    path("<slug:slug>/personer/<int:pk>/administrator/", views.make_admin, name="make_admin"),
    path("<slug:slug>/personer/<int:pk>/rolle/", views.set_role, name="set_role"),
    path("<slug:slug>/ressourcer/ny/", views.resource_form, name="resource_create"),
    path("<slug:slug>/ressourcer/<int:pk>/", views.resource_form, name="resource_edit"),
    path("<slug:slug>/ressourcer/<int:pk>/slet/", views.resource_delete, name="resource_delete"),
    path("<slug:slug>/behov/ny/", views.need_form, name="need_create"),
    path("<slug:slug>/behov/<int:pk>/", views.need_form, name="need_edit"),
    path("<slug:slug>/behov/<int:pk>/slet/", views.need_delete, name="need_delete"),
]
