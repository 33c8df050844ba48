from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("udfordringer/", views.challenge_list, name="challenges"),
    path("udfordringer/ny/", views.challenge_create, name="challenge_create"),
    path("udfordringer/<int:pk>/", views.challenge_detail, name="challenge"),
    path("udfordringer/<int:pk>/rediger/", views.challenge_edit, name="challenge_edit"),
    path("udfordringer/<int:pk>/status/", views.challenge_status, name="challenge_status"),
    path("udfordringer/<int:challenge_pk>/partnerskab/", views.partnership_start, name="start"),
    path("partnerskaber/", views.partnership_list, name="list"),
    path("partnerskaber/ny-inddragelse/", views.involvement_start, name="involvement_start"),
    path("partnerskaber/<int:pk>/", views.partnership_detail, name="detail"),
    path("partnerskaber/<int:pk>/rediger/", views.partnership_edit, name="edit"),
    path("partnerskaber/<int:pk>/fase/", views.phase_change, name="phase"),
    path("partnerskaber/<int:pk>/facilitator/", views.facilitator, name="facilitator"),
    path("partnerskaber/<int:pk>/inviter/", views.invite, name="invite"),
    path(
        "partnerskaber/<int:pk>/invitationer/<int:invitation_pk>/traek-tilbage/",
        views.withdraw_invitation,
        name="withdraw_invitation",
    ),
    path("partnerskaber/<int:pk>/forlad/", views.leave, name="leave"),
    path("partnerskaber/<int:pk>/deltag/", views.ask_to_join, name="ask_to_join"),
    path(
        "partnerskaber/<int:pk>/anmodninger/<int:request_pk>/",
        views.answer_join_request,
        name="answer_join_request",
    ),
    path(
        "partnerskaber/<int:pk>/anmodninger/<int:request_pk>/traek-tilbage/",
        views.withdraw_join_request,
        name="withdraw_join_request",
    ),
    path("partnerskaber/<int:pk>/dagsorden/", views.agenda, name="agenda"),
    path("partnerskaber/<int:pk>/dagsorden/prioriteter/", views.agenda_priorities, name="agenda_priorities"),
    path(
        "partnerskaber/<int:pk>/dagsorden/<int:item_pk>/status/",
        views.agenda_item_status,
        name="agenda_item_status",
    ),
    path("partnerskaber/<int:pk>/moeder/", views.meetings, name="meetings"),
    path("partnerskaber/<int:pk>/moeder/<int:meeting_pk>/", views.meeting, name="meeting"),
    path("partnerskaber/<int:pk>/moeder/<int:meeting_pk>/rediger/", views.meeting_edit, name="meeting_edit"),
    path(
        "partnerskaber/<int:pk>/moeder/<int:meeting_pk>/kalender.ics",
        views.meeting_calendar,
        name="meeting_ics",
    ),
    path("partnerskaber/<int:pk>/forslag/", views.proposals, name="proposals"),
    path("partnerskaber/<int:pk>/forslag/<int:proposal_pk>/", views.proposal, name="proposal"),
    path("partnerskaber/<int:pk>/beslutninger/", views.decisions, name="decisions"),
    path("partnerskaber/<int:pk>/spilleregler/", views.propose_ground_rules, name="ground_rules"),
    path("partnerskaber/<int:pk>/handleplan/", views.together, name="together"),
    path("partnerskaber/<int:pk>/handleplan/behov/<int:need_pk>/", views.need, name="need"),
    path("partnerskaber/<int:pk>/hvem-kan-bidrage/", views.contributors, name="contributors"),
    path("partnerskaber/<int:pk>/hvad-har-vi-laert/", views.learn, name="learn"),
    path("invitationer/", views.invitations, name="invitations"),
    path("invitationer/<int:pk>/svar/", views.respond, name="respond"),
]
