"""The organisations listing's filters."""
import django_filters
from wagtail.admin.filters import WagtailFilterSet

from .. import selectors
from ..models import Organisation


class OrganisationFilterSet(WagtailFilterSet):
    is_partner = django_filters.BooleanFilter(label="Partner organisation")
    kind = django_filters.ChoiceFilter(choices=Organisation.Kind.choices, label="Kind of organisation")
    country = django_filters.ChoiceFilter(choices=selectors.countries_in_use, label="Country")

    class Meta:
        model = Organisation
        fields = ["is_partner", "kind", "country"]
