from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("partnerskaber/<int:partnership_pk>/samtaler/", views.conversation_list, name="list"),
    path("partnerskaber/<int:partnership_pk>/samtaler/ny/", views.conversation_create, name="create"),
    path("partnerskaber/<int:partnership_pk>/problemformulering/", views.problem_definition, name="problem_definition"),
    path("samtaler/", views.standalone_list, name="standalone_list"),
    path("samtaler/ny/", views.standalone_create, name="standalone_create"),
    path("samtaler/importer/", views.import_polis, name="import"),
    path("samtaler/link/<str:token>/", views.join, name="join"),
    path("samtaler/<int:pk>/", views.conversation, name="conversation"),
    path("samtaler/<int:pk>/sektor/", views.choose_sector, name="sector"),
    path("samtaler/<int:pk>/gaest/", views.claim_guest, name="claim_guest"),
    path("samtaler/<int:pk>/stem/", views.vote, name="vote"),
    path("samtaler/<int:pk>/udsagn/", views.add_statement, name="add_statement"),
    path("samtaler/<int:pk>/resultater/", views.results, name="results"),
    path("samtaler/<int:pk>/resultater.<str:fmt>", views.results_export, name="results_export"),
    path("samtaler/<int:pk>/moderation/", views.moderation, name="moderation"),
    path("samtaler/<int:pk>/moderation/<int:statement_pk>/", views.moderate, name="moderate"),
    path("samtaler/<int:pk>/udsagn/<int:statement_pk>/anmeld/", views.report, name="report"),
    path("samtaler/<int:pk>/eksport/", views.export, name="export"),
    path("samtaler/<int:pk>/aaben/", views.set_open, name="set_open"),
    path("samtaler/<int:pk>/rediger/", views.conversation_change, name="change"),
]
