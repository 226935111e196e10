"""The organisations listing's filters."""
import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from .. import selectors
from ..models import Organisation


class OrganisationFilterSet(WagtailFilterSet):
    is_partner = django_filters.BooleanFilter(label=_("Partner organisation"))
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices, label=_("Kind of organisation"))
    country = django_filters.ChoiceFilter(choices=selectors.countries_in_use, label=_("Country"))

    class Meta:
        model = Organisation
        fields = ["is_partner", "kind", "country"]
