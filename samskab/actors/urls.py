from django.urls import path

from . import views

app_name = "actors"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("ny/", views.create, name="create"),
    path("invitation/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/rediger/", views.edit, name="edit"),
    path("<slug:slug>/inviter/", views.invite_person, name="invite_person"),
    path("<slug:slug>/ressourcer/ny/", views.resource_form, name="resource_create"),
    path("<slug:slug>/ressourcer/<int:pk>/", views.resource_form, name="resource_edit"),
    path("<slug:slug>/ressourcer/<int:pk>/slet/", views.resource_delete, name="resource_delete"),
    path("<slug:slug>/behov/ny/", views.need_form, name="need_create"),
    path("<slug:slug>/behov/<int:pk>/", views.need_form, name="need_edit"),
    path("<slug:slug>/behov/<int:pk>/slet/", views.need_delete, name="need_delete"),
]
