"""Every model registered in the Django admin opens its list for a system administrator."""

import pytest
from django.contrib.admin import site
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_admin_list_opens(client, admin):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for model in site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert client.get(url).status_code == 200, url
