"""Django admin for the council's reference data (terms, sessions, councillors) that the
Secretariat's administrators keep. Every model is Audited, so admin changes are audited too."""

from django.contrib import admin

from secretariat.council.models import Councillor, Session, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("number", "start_on", "end_on")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "start_on", "end_on")
    list_filter = ("term", "kind")


@admin.register(Councillor)
class CouncillorAdmin(admin.ModelAdmin):
    list_display = ("name", "term", "caucus", "district", "active_from", "active_to")
    list_filter = ("term", "caucus")
    search_fields = ("name",)
