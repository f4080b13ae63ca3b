from django.urls import path

from secretariat.core import views, views_imports, views_public

app_name = "core"

urlpatterns = [
    path("", views_public.home, name="dashboard"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/totp/", views.totp_verify, name="totp_verify"),
    path("accounts/totp/setup/", views.totp_setup, name="totp_setup"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<slug:code>/", views.agency_detail, name="agency_detail"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/calculate/", views.workday_calculator, name="workday_calculator"),
    path("calendar/<int:pk>/delete/", views.calendar_remove, name="calendar_remove"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("imports/", views_imports.imports, name="imports"),
    path("imports/<int:pk>/", views_imports.import_run, name="import_run"),
    path("imports/<int:pk>/progress/", views_imports.import_progress, name="import_progress"),
    path("system/status/", views.system_status, name="system_status"),
    path("healthz", views.healthz, name="healthz"),
]
