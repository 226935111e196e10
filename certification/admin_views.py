"""The staff side of certification in the Wagtail admin: the certificate listing and its
inspect page (with the certificate's history), and signing off practical work (revoking
and reinstating are in ``admin_revocation``).

Thin views: parse, authorise, call a service, render. Revoking and reinstating need
``certification.revoke_certificate`` and signing off ``certification.signoff_practical``,
checked in ``dispatch`` before the method is looked at, so a refused POST does nothing.
Wagtail's admin URLs wrap every view in its sign-in and admin-access check, which also
turns our ``PermissionDenied`` into its usual "no permission" redirect. Django's CSRF
middleware guards every POST.

A learner's practical sign-offs are shown as counts, dates and who signed: the records
hold nothing about the people at a meeting, and nothing here asks for it.
"""
from urllib.parse import urlencode

import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import HeaderButton

from . import codes, services
from .forms import PracticalSignoffForm
from .models import Certificate, CertificateEvent, PracticalItem, PracticalSignoff, Programme

REVOKE_PERMISSION = "certification.revoke_certificate"
SIGNOFF_PERMISSION = "certification.signoff_practical"
Kind = CertificateEvent.Kind
STATUS_LABELS = {"valid": "Valid", "expired": "Expired", "revoked": "Revoked"}


def _day(moment) -> str:
    # Dates, not "2 years from now": expiry dates are far ahead and staff read them exactly.
    return date_format(timezone.localtime(moment), "j M Y") if moment else ""


def _moment(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i") if moment else ""


def person(user) -> str:
    """How staff see a person in these screens: the printed name and the email."""
    if user is None:
        return "System"
    name = (user.certificate_name or user.get_full_name() or "").strip()
    return f"{name} <{user.email}>" if name and name != user.email else user.email


def event_summary(event: CertificateEvent) -> str:
    detail = event.detail or {}
    if event.kind == Kind.ISSUED:
        return f"Issued to {detail.get('holder_name', '')}".strip()
    if event.kind == Kind.RENEWED:
        renews = detail.get("renews")
        return f"Renews certificate {codes.display(renews)}" if renews else "Renewal"
    if event.kind == Kind.REISSUED:
        return f"Name changed from “{detail.get('from', '')}” to “{detail.get('to', '')}”; new PDF"
    if event.kind == Kind.REVOKED:
        reason = Certificate.RevocationReason(detail["reason"]).label if detail.get("reason") in Certificate.RevocationReason.values else detail.get("reason", "")
        note = detail.get("note")
        return f"Reason: {reason}" + (f". Note: {note}" if note else "")
    if event.kind == Kind.REINSTATED:
        return gettext("Note: %(note)s") % {"note": detail.get("note", "")}
    if event.kind == Kind.REMINDED:
        return f"{detail.get('days_before')}-day expiry reminder emailed"
    return ""


# --- the certificate listing ----------------------------------------------------------------


class CertificateFilterSet(WagtailFilterSet):
    programme = django_filters.ModelChoiceFilter(queryset=Programme.objects.order_by("title"), empty_label="All programmes")
    status = django_filters.ChoiceFilter(
        label="Status", choices=list(STATUS_LABELS.items()), empty_label="Any status", method="filter_status"
    )

    class Meta:
        model = Certificate
        fields = ["programme", "status"]

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if value == "valid":
            return queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True)
        return queryset


class CertificateIndexView(IndexView):
    """Certificates, newest first; search by code (typed any way) or the holder's email."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("programme", "holder")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        match = Q(holder__email__icontains=query) | Q(holder_name__icontains=query)
        if code := codes.normalise(query):
            match |= Q(code=code)
        elif len(query) >= 4:
            fragment = "".join(query.split()).replace("-", "").upper()
            match |= Q(code__icontains=fragment)
        return queryset.filter(match)

    @cached_property
    def columns(self):
        title_column = self._get_title_column_class(TitleColumn)
        now = timezone.now()
        return [
            title_column("code", label="Code", accessor="display_code", sort_key="code", get_url=self.get_inspect_url),
            Column("holder_name", label="Holder", sort_key="holder_name"),
            Column("programme", label="Programme", accessor="programme.title", sort_key="programme__title"),
            StatusTagColumn(
                "status", label="Status", accessor=lambda c: STATUS_LABELS[c.status(now)],
                primary=lambda c: c.status(now) == "valid",
            ),
            Column("issued_at", label="Issued", sort_key="issued_at", accessor=lambda c: _day(c.issued_at)),
            Column("expires_at", label="Expires", sort_key="expires_at", accessor=lambda c: _day(c.expires_at) or "No expiry"),
        ]

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.revoked_at is None and self.request.user.has_perm(REVOKE_PERMISSION):
            buttons.append(
                MenuItem("Revoke", url=reverse("certificate_admin:revoke", args=[instance.pk]), icon_name="warning", priority=40)
            )
        return buttons


class CertificateInspectView(InspectView):
    """Everything staff need about one certificate, and its history underneath."""

    template_name = "certification/admin/certificate_inspect.html"
    labels = {
        "code": "Code", "holder_name": "Name printed", "holder": "Holder's account", "programme": "Programme",
        "period": "Certification period", "status": "Status", "issued_at": "Issued", "expires_at": "Expires",
        "revision": "Revision (goes up with each reissue)", "renews": "Renews", "renewed_by": "Renewed by",
        "revoked_at": "Revoked", "revoked_by": "Revoked by", "revocation_reason": "Reason for revoking",
        "revocation_note": "Note",
    }

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related("holder", "programme", "renewed_by", "revoked_by"), pk=self.pk
        )

    def get_fields(self):
        return list(self.labels)

    def get_context_data(self, **kwargs):
        # Revocation fields only once revoked.
        if self.object.revoked_at is None:
            self.fields = [f for f in self.fields if not f.startswith("revo")]
        context = super().get_context_data(**kwargs)
        context["events"] = [
            {"event": event, "summary": event_summary(event), "actor": person(event.actor) if event.actor_id else "System"}
            for event in self.object.events.select_related("actor")
        ]
        context["verify_url"] = reverse("certification:verify", args=[self.object.code])
        return context

    def get_field_label(self, field_name, field):
        return self.labels[field_name]

    def get_code_display_value(self):
        return self.object.display_code

    def get_holder_display_value(self):
        return person(self.object.holder)

    def get_status_display_value(self):
        return STATUS_LABELS[self.object.status()]

    def get_issued_at_display_value(self):
        return _moment(self.object.issued_at)

    def get_expires_at_display_value(self):
        return _moment(self.object.expires_at) or "No expiry"

    def get_revoked_at_display_value(self):
        return _moment(self.object.revoked_at)

    def get_renews_display_value(self):
        previous = Certificate.objects.filter(renewed_by=self.object).first()
        return previous.display_code if previous else "-"

    def get_renewed_by_display_value(self):
        return self.object.renewed_by.display_code if self.object.renewed_by else "-"

    def get_revoked_by_display_value(self):
        return person(self.object.revoked_by)

    def get_revocation_note_display_value(self):
        return self.object.revocation_note or "-"

    @cached_property
    def header_buttons(self):
        buttons = [HeaderButton("Public verification page", url=reverse("certification:verify", args=[self.object.code]), icon_name="link-external")]
        if self.request.user.has_perm(REVOKE_PERMISSION):
            if self.object.revoked_at is None:
                buttons.append(HeaderButton("Revoke", url=reverse("certificate_admin:revoke", args=[self.object.pk]), icon_name="warning"))
            else:
                buttons.append(
                    HeaderButton(
                        gettext("Reinstate"), url=reverse("certificate_admin:reinstate", args=[self.object.pk]), icon_name="rotate"
                    )
                )
        return buttons


# --- practical sign-offs -------------------------------------------------------------------


def practical_summary(*, user) -> dict:
    """A learner's practical record: per requirement, the total signed off and each
    sign-off (count, date, who signed, when). Nothing else about the learner's meetings."""
    signoffs = list(
        PracticalSignoff.objects.filter(user=user)
        .select_related("item__programme", "signed_by")
        .order_by("-done_on", "-signed_at")
    )
    totals = dict(
        PracticalSignoff.objects.filter(user=user).values("item").annotate(total=Sum("count")).values_list("item", "total")
    )
    items = (
        PracticalItem.objects.filter(Q(programme__active=True) | Q(pk__in=totals))
        .select_related("programme")
        .order_by("programme__title", "sort_order", "pk")
    )
    return {
        "items": [
            {"item": item, "total": totals.get(item.pk, 0), "met": totals.get(item.pk, 0) >= item.required_count}
            for item in items
        ],
        "signoffs": [
            {"signoff": s, "signed_by": person(s.signed_by)} for s in signoffs
        ],
    }


class PracticalSignoffView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Sign off practical work for a learner; ``?email=`` shows that learner's record."""

    template_name = "certification/admin/practical_signoff.html"
    form_class = PracticalSignoffForm
    page_title = "Practical sign-offs"
    header_icon = "tick-inverse"

    permission_required = SIGNOFF_PERMISSION
    raise_exception = True

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": "Practical sign-offs"}]

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["signer"] = self.request.user
        return kwargs

    def get_initial(self):
        return {"email": self.request.GET.get("email", "").strip(), "count": 1, "done_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        from django.contrib.auth import get_user_model

        context = super().get_context_data(**kwargs)
        email = (self.request.POST.get("email") or self.request.GET.get("email") or "").strip()
        learner = get_user_model().objects.filter(email__iexact=email).first() if email else None
        context.update(
            email=email, learner=learner, learner_name=person(learner) if learner else "",
            record=practical_summary(user=learner) if learner else None,
            no_items=not PracticalItem.objects.filter(programme__active=True).exists(),
        )
        return context

    def form_valid(self, form):
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
        messages.success(
            self.request,
            f"Signed off “{item.label}”{f' ×{count}' if count > 1 else ''} for {person(learner)}. "
            "If that completes their programme, the certificate is issued in a moment.",
        )
        return redirect(reverse("certification_signoffs:index") + "?" + urlencode({"email": learner.email}))
