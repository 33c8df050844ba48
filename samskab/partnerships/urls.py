from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("udfordringer/", views.challenge_list, name="challenges"),
    path("udfordringer/ny/", views.challenge_create, name="challenge_create"),
    path("udfordringer/<int:pk>/", views.challenge_detail, name="challenge"),
    path("udfordringer/<int:challenge_pk>/partnerskab/", views.partnership_start, name="start"),
    path("partnerskaber/", views.partnership_list, name="list"),
    path("partnerskaber/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerskaber/<int:pk>/rediger/", views.partnership_edit, name="edit"),
    path("partnerskaber/<int:pk>/fase/", views.phase_change, name="phase"),
    path("partnerskaber/<int:pk>/inviter/", views.invite, name="invite"),
    path("invitationer/", views.invitations, name="invitations"),
    path("invitationer/<int:pk>/svar/", views.respond, name="respond"),
]
