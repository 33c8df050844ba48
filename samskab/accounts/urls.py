from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.profile, name="profile"),
    path("api-noegler/<int:pk>/slet/", views.revoke_token, name="revoke_token"),
    path("notifikationer/", views.notifications, name="notifications"),
    path("navn/", views.change_name, name="change_name"),
    path("mine-data/", views.my_data, name="my_data"),
    path("mine-data.json", views.download_data, name="download_data"),
    path("slet-konto/", views.delete_account, name="delete_account"),
    path("afmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
