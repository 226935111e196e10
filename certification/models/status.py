"""Places in the published revocation lists (W3C Bitstring Status List v1.0).

Each certificate whose digital credential has been downloaded holds one place: a list
number and an index in that list's bitstring, written into the credential. The bit is
set while the certificate is revoked. A revocation is final for the credentials that
carry it (the standard says a revocation is not reversible): reinstating a certificate
retires its place, whose bit stays set for good, and the next credential downloaded gets
a new place. So the published bits are computed from these rows and the certificates,
never kept as a separate copy that two writers could both update.
"""
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The standard's minimum list length (16 KB uncompressed): one list hides each holder
# among many others (herd privacy).
LIST_BITS = 131_072


class StatusListEntry(models.Model):
    # PROTECT: a published place is never given up silently; a deleted certificate would
    # otherwise clear its bit and make a revoked credential look valid again.
    certificate = models.ForeignKey(
        "certification.Certificate", on_delete=models.PROTECT, related_name="status_entries"
    )
    status_list = models.PositiveIntegerField(help_text=_("The list's number in its URL, from 1."))
    index = models.PositiveIntegerField(help_text=_("The bit's position in the list, 0 is the left-most."))
    allocated_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the certificate was reinstated: this place stays revoked for good.")
    )

    class Meta:
        verbose_name = _("status list entry")
        verbose_name_plural = _("status list entries")
        constraints = [
            models.UniqueConstraint(fields=["status_list", "index"], name="status_entry_one_place_per_bit"),
            # One place in use per certificate, however many downloads run at once.
            models.UniqueConstraint(
                fields=["certificate"], condition=Q(retired_at__isnull=True), name="status_entry_one_live_per_certificate"
            ),
            models.CheckConstraint(
                condition=Q(status_list__gte=1) & Q(index__lt=LIST_BITS), name="status_entry_within_a_list"
            ),
        ]

    def __str__(self) -> str:
        return gettext("list %(list)s, index %(index)s") % {"list": self.status_list, "index": self.index}
