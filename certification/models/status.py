"""Places in the published revocation lists (W3C Bitstring Status List v1.0).

Each certificate whose digital credential has been downloaded holds one place: a list
number and an index in that list's bitstring, written into the credential. The bit is
set while the certificate is revoked.

A place is held by a facilitator certificate (``kind`` "certificate", the ``certificate``
key), or by another kind of certificate that an app above certification registers
(``kind`` and ``object_id``: continuing education's CE certificates; see
``selectors.status_lists.register_status_kind``). certification cannot import those apps,
so it cannot hold a key to their tables; instead, a place of another kind reads
"revoked" unless its app says the object is in force, so a place whose object is gone (or
whose app no longer answers) can never look valid again. A revocation is final for the credentials that
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
    CERTIFICATE = "certificate"

    # PROTECT: a published place is never given up silently; a deleted certificate would
    # otherwise clear its bit and make a revoked credential look valid again.
    certificate = models.ForeignKey(
        "certification.Certificate", on_delete=models.PROTECT, related_name="status_entries", null=True, blank=True
    )
    kind = models.CharField(
        max_length=40, default=CERTIFICATE,
        help_text=_("What holds the place: a facilitator certificate, or a kind another app registers."),
    )
    object_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text=_("The id of what holds the place, for kinds other than facilitator certificates.")
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
            models.UniqueConstraint(
                fields=["kind", "object_id"], condition=Q(retired_at__isnull=True), name="status_entry_one_live_per_holder"
            ),
            models.CheckConstraint(
                condition=Q(status_list__gte=1) & Q(index__lt=LIST_BITS), name="status_entry_within_a_list"
            ),
            # A facilitator certificate's place is held by its key; any other by kind and id.
            models.CheckConstraint(
                condition=(Q(kind="certificate") & Q(certificate__isnull=False) & Q(object_id__isnull=True))
                | (~Q(kind="certificate") & ~Q(kind="") & Q(certificate__isnull=True) & Q(object_id__isnull=False)),
                name="status_entry_held_by_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return gettext("list %(list)s, index %(index)s") % {"list": self.status_list, "index": self.index}
