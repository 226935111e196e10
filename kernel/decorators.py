"""View decorators shared by the apps."""
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

SIGNED_OUT = _(
    "Not saved: you have been signed out. Keep a copy of what you wrote, then reload the "
    "page and sign in again."
)


def wants_json(request) -> bool:
    """A page's script saving in the background asks for JSON."""
    return "application/json" in request.headers.get("Accept", "") or request.content_type == "application/json"


def login_required_json(view):
    """``login_required``, except that a signed-out request from a page's script gets 401
    and a reason. The redirect to the sign-in page would be followed by ``fetch`` and
    answered 200 with allauth's sign-in form as JSON, which a script takes for success:
    a reflection "saved" that was not."""
    protected = login_required(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and wants_json(request):
            return JsonResponse({"error": str(SIGNED_OUT)}, status=401)
        return protected(request, *args, **kwargs)

    return wrapped
