from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("partnerskaber/<int:pk>/maalinger/", views.survey_list, name="list"),
    path("partnerskaber/<int:pk>/maalinger/ny/", views.survey_create, name="create"),
    path("maalinger/lokalsamfund/", views.community_list, name="community_list"),
    path("maalinger/lokalsamfund/ny/", views.community_create, name="community_create"),
    path("maalinger/aaben/<str:link_token>/", views.open_link, name="open_link"),
    path("maalinger/svar/<str:token>/", views.answer, name="answer"),
    path("maalinger/tak/", views.thanks, name="thanks"),
    path("maalinger/<int:pk>/", views.survey_detail, name="detail"),
    path("maalinger/<int:pk>/link/", views.public_link, name="public_link"),
    path("maalinger/<int:pk>/aflys/", views.survey_cancel, name="cancel"),
    path("maalinger/<int:pk>/runder/ny/", views.wave_create, name="wave_create"),
    path("maalinger/<int:pk>/runder/<int:wave_pk>/lukker/", views.wave_closing, name="wave_closing"),
    path("maalinger/<int:pk>/runder/<int:wave_pk>/aflys/", views.wave_cancel, name="wave_cancel"),
    path("maalinger/<int:pk>/runder/<int:wave_pk>/inviter/", views.wave_invite, name="wave_invite"),
    path("maalinger/<int:pk>/runder/<int:wave_pk>/besvar/", views.answer_now, name="answer_now"),
    path("maalinger/<int:pk>/runder/<int:wave_pk>/opfoelgning/", views.follow_up, name="follow_up"),
    path("maalinger/<int:pk>/resultater/", views.results, name="results"),
    path("maalinger/<int:pk>/resultater.<str:fmt>", views.results_export, name="results_export"),
]
