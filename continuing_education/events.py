"""Signals inside continuing education, so that its parts (evaluation, licence, issuing,
verification, staff actions) need not import each other to say what happened."""
from django.dispatch import Signal

# A learner submitted a course's evaluation (kwargs: user_id, course_id: the source page).
# Sent inside the submitting transaction.
evaluation_submitted = Signal()

# A learner saved their professional licence (kwargs: user_id). Sent inside the saving
# transaction.
licence_saved = Signal()

# A CE certificate was issued, reissued, revoked or reinstated, or its partial credit
# granted (kwargs: certificate_id, code, kind: a CECertificateEvent.Kind value). Sent inside
# the transaction that changed it; listeners act on commit (the verification cache).
ce_certificate_changed = Signal()
