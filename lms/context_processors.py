from django.conf import settings

from kernel.site import site_name


def site(request):
    return {"site_name": site_name(), "contact_email": settings.CONTACT_EMAIL}
