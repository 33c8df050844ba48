from django.urls import include, path

from . import views

app_name = "insights"
urlpatterns = [
    path("partnerskaber/<int:pk>/magtbalance/", views.partnership_power_balance, name="power_balance"),
    path("partnerskaber/<int:pk>/netvaerk/", views.partnership_network, name="partnership_network"),
    path(
        "partnerskaber/<int:pk>/netvaerk/<slug:table>.<str:fmt>",
        views.partnership_network_export,
        name="partnership_network_export",
    ),
    path("kommune/magtbalance/", views.portfolio_power_balance, name="portfolio_power_balance"),
    path("", include("samskab.insights.dashboard_urls")),
]
