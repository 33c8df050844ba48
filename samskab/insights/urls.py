from django.urls import include, path

from . import views

app_name = "insights"
urlpatterns = [
    path("partnerskaber/<int:pk>/magtbalance/", views.partnership_power_balance, name="power_balance"),
    path("kommune/magtbalance/", views.portfolio_power_balance, name="portfolio_power_balance"),
    path("", include("samskab.insights.dashboard_urls")),
]
