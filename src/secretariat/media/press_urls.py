"""記者專區 (/press/): the public sign-up, and the journalists' pages."""

from django.urls import path

from secretariat.media.views import press

app_name = "press"

urlpatterns = [
    path("", press.home, name="home"),
    path("register/", press.register, name="register"),
    path("register/done/", press.registered, name="registered"),
    path("contacts/", press.contacts, name="contacts"),
    path("contacts.vcf", press.contacts_vcard, name="contacts_vcard"),
    path("contacts/<int:pk>.vcf", press.contact_vcard, name="contact_vcard"),
    path("schedule/", press.schedule, name="schedule"),
]
