"""Forms for the staff actions in the Wagtail admin (``admin/actions.py``). The managers'
own forms are in ``organisations/forms.py``."""
from django import forms
from django.utils.translation import gettext, gettext_lazy as _

from courses.models import CoursePage
from payments.models import Refund

from .. import selectors
from ..models import Organisation

GRANT_LIMIT = 10_000  # more than any real invoice: a typo guard, not a rule


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, course: CoursePage) -> str:
        notes = []
        if not course.live:
            notes.append(gettext("not published"))
        if course.partners_only:
            notes.append(gettext("partners only"))
        return f"{course.title} ({', '.join(notes)})" if notes else course.title


class GrantSeatsForm(forms.Form):
    """Seats given by hand (an invoice paid outside the platform, a grant), or free seats
    taken back with a negative number."""

    course = CourseChoiceField(queryset=CoursePage.objects.none(), label=_("Course"), empty_label=_("Choose a course"))
    quantity = forms.IntegerField(
        label=_("Seats"), min_value=-GRANT_LIMIT, max_value=GRANT_LIMIT,
        help_text=_("How many seats to add. A negative number takes back seats that no one holds."),
    )
    note = forms.CharField(
        label=_("Reason"), max_length=500,
        help_text=_("Kept in the organisation's seat ledger: for example the invoice number or the grant's name."),
    )

    def __init__(self, *args, organisation: Organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Published courses, and any course the organisation already holds seats on
        # (so that seats on a course withdrawn since can still be taken back).
        held = selectors.seat_pools(organisation).values("course_id")
        self.fields["course"].queryset = (
            CoursePage.objects.live() | CoursePage.objects.filter(pk__in=held)
        ).order_by("title")

    def clean_note(self) -> str:
        note = " ".join(self.cleaned_data["note"].split())
        if not note:
            raise forms.ValidationError(gettext("Say why, for example the invoice number or the grant."))
        return note

    def clean(self) -> dict:
        data = super().clean()
        course, quantity = data.get("course"), data.get("quantity")
        if quantity == 0:
            self.add_error("quantity", gettext("Enter a number of seats other than 0."))
        # Staff could grant them, but the organisation could never invite anyone onto them.
        if course is not None and quantity and quantity > 0 and course.partners_only and not self.organisation.is_partner:
            self.add_error(
                "course",
                gettext("“%(course)s” is only for partner organisations. Mark %(organisation)s as a partner first.")
                % {"course": course.title, "organisation": self.organisation.name},
            )
        return data


class RefundSeatsForm(forms.Form):
    """Unused seats of one seat purchase refunded through Stripe (seat price × seats)."""

    seats = forms.IntegerField(label=_("Seats to refund"), min_value=1)
    reason = forms.ChoiceField(label=_("Reason"), choices=Refund.Reason.choices, initial=Refund.Reason.REQUESTED_BY_CUSTOMER)
    note = forms.CharField(label=_("Note for the record"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))
    confirm = forms.BooleanField(label=_("Yes, send this refund to the buyer's card now and remove the seats"))

    def __init__(self, *args, most: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The service checks the bound again under its locks; this is the hint.
        self.fields["seats"].help_text = (
            gettext("At most %(most)s: seats of this purchase not yet refunded that no one holds.") % {"most": most}
            if most else gettext("No seat of this purchase is both unrefunded and free.")
        )


class PartnerForm(forms.Form):
    """Mark or unmark: the wanted state is posted, so a repeated click changes nothing."""

    is_partner = forms.TypedChoiceField(choices=[("1", _("Partner")), ("0", _("Not a partner"))], coerce=lambda v: v == "1")
