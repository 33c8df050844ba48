from django.urls import path

from . import dashboard_views

# Included by insights/urls.py, so the names live in the "insights" namespace.
urlpatterns = [
    path("kommune/oversigt/", dashboard_views.municipality_dashboard, name="dashboard"),
    path("kommune/oversigt/<slug:table>.<str:fmt>", dashboard_views.dashboard_export, name="dashboard_export"),
    path("kommune/netvaerk/", dashboard_views.collaboration_network, name="network"),
]
