from django.contrib import admin

from .models import Actor, Membership, MunicipalAdministrator, Need, Resource


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "municipality", "neighbourhood"]
    list_filter = ["sector", "municipality"]
    search_fields = ["name", "external_id"]
    inlines = [MembershipInline]
    prepopulated_fields = {"slug": ["name"]}


admin.site.register(MunicipalAdministrator, raw_id_fields=["user"])
admin.site.register([Resource, Need])
