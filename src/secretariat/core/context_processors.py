from django.conf import settings
from django.urls import reverse

from secretariat.core import modules, selectors


def shell(request):
    """What the layout needs on every page: navigation and the unread-notification count."""
    context = {
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": settings.OIDC_PROVIDER_NAME,
        "nav_items": [],
        "unread_count": 0,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    context["nav_items"] = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "current": item.is_current(current),
        }
        for item in modules.navigation_for(user)
    ]
    context["unread_count"] = selectors.notifications_for(user, unread_only=True).count()
    return context
