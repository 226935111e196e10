"""Signing off a learner's practical work in the Wagtail admin
(``certification.signoff_practical``, checked in ``dispatch`` before the method is looked
at, so a refused POST does nothing).

A learner's practical sign-offs are shown as counts, dates and who signed: the records
hold nothing about the people at a meeting, and nothing here asks for it.
"""
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.selectors import user_with_email
from kernel.admin_views import StaffFormView

from .. import permissions, selectors, services
from .display import person
from .forms import PracticalSignoffForm


class PracticalSignoffView(StaffFormView):
    """Sign off practical work for a learner; ``?email=`` shows that learner's record."""

    template_name = "certification/admin/practical_signoff.html"
    form_class = PracticalSignoffForm
    page_title = gettext_lazy("Practical sign-offs")
    header_icon = "tick-inverse"
    permission_required = permissions.SIGNOFF

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [{"url": "", "label": gettext("Practical sign-offs")}]

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["signer"] = self.request.user
        return kwargs

    def get_initial(self) -> dict:
        return {"email": self.request.GET.get("email", "").strip(), "count": 1, "done_on": timezone.localdate()}

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        email = (self.request.POST.get("email") or self.request.GET.get("email") or "").strip()
        learner = user_with_email(email) if email else None
        record = None
        if learner is not None:
            found = selectors.practical_record(user=learner)
            record = {
                "items": found["items"],
                "signoffs": [{"signoff": s, "signed_by": person(s.signed_by)} for s in found["signoffs"]],
            }
        context.update(
            email=email, learner=learner, learner_name=person(learner) if learner else "",
            record=record, no_items=not selectors.practical_items_offered(),
        )
        return context

    def form_valid(self, form: PracticalSignoffForm) -> HttpResponse:
        learner, item = form.learner, form.cleaned_data["item"]
        try:
            services.practical_signoff(
                user=learner, item=item, count=form.cleaned_data["count"],
                done_on=form.cleaned_data["done_on"], signed_by=self.request.user,
            )
        except services.CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        count = form.cleaned_data["count"]
        values = {"requirement": item.label, "count": count, "learner": person(learner)}
        if count > 1:
            text = gettext(
                "Signed off “%(requirement)s” ×%(count)s for %(learner)s. "
                "If that completes their programme, the certificate is issued in a moment."
            )
        else:
            text = gettext(
                "Signed off “%(requirement)s” for %(learner)s. "
                "If that completes their programme, the certificate is issued in a moment."
            )
        messages.success(self.request, text % values)
        return redirect(reverse("certification_signoffs:index") + "?" + urlencode({"email": learner.email}))
