from django.contrib import admin
from django.urls import include, path

from samskab.lib import pages
from samskab.partnerships import views as partnership_views
from samskab.partnerships.views import home

from .api import api

urlpatterns = [
    path("", home, name="home"),
    path("privatliv/", pages.privacy, name="privacy"),
    # The map shows actors and challenges, so its view sits above both apps; before the actors' <slug>.
    path("aktoerer/kort/", partnership_views.actor_map, name="actor_map"),
    path("aktoerer/", include("samskab.actors.urls")),
    path("", include("samskab.partnerships.urls")),
    path("", include("samskab.opinions.urls")),
    path("", include("samskab.insights.urls")),
    path("", include("samskab.surveys.urls")),
    path("konto/", include("allauth.urls")),
    path("min-side/", include("samskab.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "samskab.lib.errors.forbidden"
