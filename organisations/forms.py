"""Forms for organisation pages. They parse and check what a person typed; the rules
(who may do what, how many seats, which rows are good) stay in the services."""
from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy as _

from courses.models import CoursePage
from kernel.names import validate_printable_name
from payments import currencies, money
from payments.selectors import Fee

from .models import Membership, Organisation

Role = Membership.Role

# A CSV of 500 people with names is about 30 kB: a megabyte is plenty, and keeps a wrong
# file (a photo, a spreadsheet) from being read into memory.
CSV_MAX_BYTES = 1024 * 1024


class AccessibleMixin:
    """Ties each field's error message to its input (``aria-describedby``), so that a
    screen reader announces the error with the field, as it already does the hint."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_errors"]
            if self.fields[name].help_text:
                described.insert(0, f"{bound.auto_id}_helptext")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(described)


class AccessibleForm(AccessibleMixin, forms.Form):
    pass


class OrganisationForm(AccessibleMixin, forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "country", "billing_email"]
        labels = {
            "name": _("Name of the organisation"), "kind": _("Kind of organisation"), "country": _("Country"),
            "billing_email": _("Billing email"),
        }
        help_texts = {
            "name": _("As your staff will know it: it appears in their invitations."),
            "billing_email": _("Receipts for places you buy are sent here, and to you."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "billing_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }


class CourseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, course: CoursePage) -> str:
        return course.title


class PricedCourseChoiceField(forms.ModelChoiceField):
    """Each course with its fee for one place: in the currency the manager sees fees in
    (``fees``, by course id, as the course page shows them), else the main one."""

    fees: dict[int, Fee] | None = None

    def label_from_instance(self, course: CoursePage) -> str:
        shown = (self.fees or {}).get(course.pk)
        if shown is not None:
            fee = shown.display
        else:
            fee = money.display(money.rounded(course.price_amount, course.price_currency.upper()), course.price_currency.upper())
        return gettext("%(course)s (%(fee)s a place)") % {"course": course.title, "fee": fee}


class SeatBuyForm(AccessibleForm):
    """Which course and how many places. The price comes from the course, never from here."""

    course = PricedCourseChoiceField(queryset=None, label=_("Course"), empty_label=_("Choose a course"))

    def __init__(
        self, *args, courses: QuerySet[CoursePage], currency: str = "", fees: dict[int, Fee] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].fees = fees
        most = settings.ORGANISATIONS_MAX_SEATS_PER_ORDER  # read per form: tests and settings may change it
        self.fields["quantity"] = forms.IntegerField(
            label=_("Number of places"), min_value=1, max_value=most, initial=1,
            help_text=gettext("One place for each member of staff, up to %(most)s in one payment.") % {"most": most},
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        )
        # Pay in another currency when the course has a fee in it (else in its main one);
        # the fee is read again on the server.
        self.fields["currency"] = forms.ChoiceField(
            label=_("Currency"), required=False, initial=currency,
            choices=[("", _("The course's main currency"))] + currencies.choices(),
            help_text=_("Pay in this currency if the course has a fee in it; otherwise in its main currency."),
        )


class InviteTargetForm(AccessibleForm):
    """What an invitation gives: a place on a course (staff) or a share in managing the
    organisation (only owners may invite managers)."""

    role = forms.ChoiceField(
        label=_("Invite them as"), widget=forms.RadioSelect, initial=Role.MEMBER,
        choices=[
            (Role.MEMBER, _("Staff: a place on a course")),
            (Role.MANAGER, _("Managers: they help run this organisation and see its staff's progress")),
        ],
    )
    course = CourseChoiceField(
        queryset=None, label=_("Course"), required=False, empty_label=_("Choose a course"),
        help_text=_("Each person who accepts takes one of your places on this course."),
    )

    def __init__(self, *args, courses: QuerySet[CoursePage], may_invite_managers: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        if not may_invite_managers:
            # Not offered, and a forged "manager" in the request is simply not a choice.
            self.fields["role"].choices = self.fields["role"].choices[:1]
            self.fields["role"].widget = forms.HiddenInput()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("role", Role.MEMBER) == Role.MEMBER and not data.get("course") and "course" not in self.errors:
            self.add_error("course", gettext("Choose the course the invitation gives a place on."))
        if data.get("role") == Role.MANAGER:
            data["course"] = None
        return data


class InviteForm(InviteTargetForm):
    """Who to invite: one address, a pasted list or a CSV file (one way at a time)."""

    email = forms.EmailField(
        label=_("Email address"), required=False, max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Their name"), required=False, max_length=150, validators=[validate_printable_name],
        help_text=_("Optional: used to greet them in the email."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    people = forms.CharField(
        label=_("Email addresses, one person per line"), required=False, max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("For example: Sam Jones <sam@example.org>, or sam@example.org, Sam Jones, or just the address."),
    )
    csv_file = forms.FileField(
        label=_("CSV file"), required=False,
        help_text=_("A column headed “email” and, if you like, one headed “name”. "
                    "From a spreadsheet, choose Save as → “CSV UTF-8”."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    METHODS = ("email", "people", "csv_file")

    def clean(self) -> dict:
        data = super().clean()
        chosen = [name for name in self.METHODS if data.get(name)]
        if len(chosen) > 1:
            raise forms.ValidationError(
                gettext("Please use one way at a time: one address, a pasted list, or a CSV file.")
            )
        if not chosen and not any(name in self.errors for name in self.METHODS):
            self.add_error("email", gettext("Enter an email address, paste a list, or choose a CSV file."))
        if data.get("name") and not data.get("email"):
            self.add_error("name", gettext("A name goes with a single email address: add the address too."))
        upload = data.get("csv_file")
        if upload:
            data["csv_text"] = self._read_csv(upload)
        return data

    def _read_csv(self, upload: UploadedFile) -> str:
        if upload.size > CSV_MAX_BYTES:
            self.add_error("csv_file", gettext("This file is larger than 1 MB. A list of staff is usually much smaller: "
                                               "check that it is the right file."))
            return ""
        raw = upload.read()
        if b"\x00" in raw:
            self.add_error("csv_file", gettext("This looks like a spreadsheet file, not a CSV file. In your spreadsheet, "
                                               "choose Save as → “CSV UTF-8”, then choose that file here."))
            return ""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            self.add_error("csv_file", gettext("We could not read this file's characters. In your spreadsheet, choose "
                                               "Save as → “CSV UTF-8”, then choose that file here."))
            return ""
        if not text.strip():
            self.add_error("csv_file", gettext("This file is empty."))
            return ""
        return text

    def method(self) -> str:
        data = self.cleaned_data
        return "csv" if data.get("csv_file") else "list" if data.get("people") else "one"

    def as_text(self) -> str:
        """The single address (and name) as a line ``invitation_preview`` reads."""
        data = self.cleaned_data
        name = " ".join(data.get("name", "").replace("<", " ").replace(">", " ").split())
        return f"{name} <{data['email']}>" if name else data["email"]
