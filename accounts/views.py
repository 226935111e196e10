"""The account page: the name printed on certificates."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import ProfileForm


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, initial={"certificate_name": request.user.certificate_name})
    if request.method == "POST" and form.is_valid():
        services.user_set_certificate_name(user=request.user, name=form.cleaned_data["certificate_name"])
        messages.success(request, _("Your certificate name is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
