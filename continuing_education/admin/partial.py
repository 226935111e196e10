"""Granting a learner partial CE credit (``manage_ce_certificates``).

``?email=`` shows the learner's approved courses with their time on task and the most
that may be granted under each approval, so staff see the limit before they type. The
form's hours are checked again by the service: a forged POST above the time spent is
refused and changes nothing.
"""
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from accounts.selectors import user_with_email
from kernel.admin_views import StaffFormView

from .. import permissions
from ..models import ProfessionalLicence
from ..selectors.credit import learner_partial_credit
from ..services import staff
from .display import hours_text, person, time_on_task
from .forms import PartialCreditForm


class PartialCreditView(StaffFormView):
    template_name = "continuing_education/admin/partial_credit.html"
    form_class = PartialCreditForm
    page_title = gettext_lazy("Grant partial CE credit")
    header_icon = "plus"
    permission_required = permissions.MANAGE

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [
            {"url": reverse("ce_certificates:index"), "label": gettext("CE certificates")},
            {"url": "", "label": gettext("Grant partial CE credit")},
        ]

    def get_initial(self) -> dict:
        return {"email": self.request.GET.get("email", "").strip()}

    def get_context_data(self, **kwargs: object) -> dict:
        context = super().get_context_data(**kwargs)
        email = (self.request.POST.get("email") or self.request.GET.get("email") or "").strip()
        learner = user_with_email(email) if email else None
        rows = []
        if learner is not None:
            rows = [
                {
                    "course": row.course_approval.course.title, "approval": str(row.course_approval.approval),
                    "time": time_on_task(row.limit.time_spent_seconds), "by_time": hours_text(row.limit.by_time_spent),
                    "approved": hours_text(row.limit.approved_hours), "most": hours_text(row.limit.most),
                    "has_certificate": row.has_certificate,
                }
                for row in learner_partial_credit(user=learner)
            ]
        context.update(
            email=email, learner=learner, learner_name=person(learner) if learner else "", rows=rows,
            has_licence=learner is not None and ProfessionalLicence.objects.filter(user=learner).exists(),
        )
        return context

    def form_valid(self, form: PartialCreditForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            certificate = staff.ce_partial_credit_grant(
                learner=form.learner, course=data["course"], approval=data["approval"], hours=data["hours"],
                reason=data["reason"], by=self.request.user,
            )
        except staff.CEStaffError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            gettext("Partial credit of %(hours)s CE hours granted to %(learner)s: CE certificate %(code)s.")
            % {"hours": hours_text(certificate.hours), "learner": person(form.learner), "code": certificate.display_code},
        )
        return redirect("ce_certificates:inspect", certificate.pk)
