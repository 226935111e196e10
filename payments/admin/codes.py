"""Discount codes for staff: the snippet listing's "Generate scholarship codes" button, and
generating a batch of single-use codes (``permissions.GENERATE_CODES``)."""
from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _, ngettext
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView

from kernel.admin_views import StaffFormView

from .. import permissions, services
from .forms import GenerateCodesForm


class DiscountCodeIndexView(SnippetIndexView):
    @property
    def header_buttons(self) -> list[HeaderButton]:
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(permissions.GENERATE_CODES):
            buttons.append(
                HeaderButton(
                    _("Generate scholarship codes"), url=reverse("payments_admin:codes_generate"), icon_name="plus"
                )
            )
        return buttons


class GenerateCodesView(StaffFormView):
    template_name = "payments/admin/generate_codes.html"
    form_class = GenerateCodesForm
    page_title = _("Generate scholarship codes")
    header_icon = "tag"
    permission_required = permissions.GENERATE_CODES

    def get_breadcrumbs_items(self) -> list[dict[str, str]]:
        return self.breadcrumbs_items + [
            {"url": reverse("wagtailsnippets_payments_discountcode:list"), "label": _("Discount codes")},
            {"url": "", "label": _("Generate scholarship codes")},
        ]

    def form_valid(self, form: GenerateCodesForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            codes = services.discount_codes_generate(
                count=data["count"], batch_label=data["batch_label"], value=data["percent"],
                courses=data["courses"], expires_at=data["expires_at"], by=self.request.user,
                prefix=data["prefix"], note=data["note"],
            )
        except services.PaymentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        generated = ngettext(
            "%(count)d single-use code generated in batch “%(batch)s”.",
            "%(count)d single-use codes generated in batch “%(batch)s”.",
            len(codes),
        ) % {"count": len(codes), "batch": data["batch_label"]}
        messages.success(self.request, generated)
        context = self.get_context_data(form=form, codes=codes, batch_label=data["batch_label"])
        return TemplateResponse(self.request, "payments/admin/generated_codes.html", context)
