"""The manager's view of their staff's progress (reads only).

One row per person and course, from two sources:

- the enrolments of the organisation's *active* members in the organisation's courses
  (a member who left has stopped sharing their progress: they are not shown);
- its pending invitations to a course, shown as "invited".

The organisation's courses are those of its seat pools and of its pending invitations.
A member's enrolments in any other course are theirs alone: an employer never sees them.

What a row holds is chosen column by column (``rows.COLUMNS``): status, progress %,
required quizzes passed (a count, never a score or an answer; required as completing the
course counts them for the organisation's staff, so a partners-only module's quizzes only
for a partner organisation), the holder's current certificate for a programme that
includes the course, and the last activity date. Nothing a learner keeps private is ever
read: no reflections, no written answers, no per-question marks, no time spent on lessons.

One module per part; callers use this package's names:

- ``states``: what a row's status and certificate can be, and the filters' groups;
- ``scope``: the organisation's courses and the quizzes required in each;
- ``sources``: the enrolments, invitations and certificates read;
- ``rows``: the filters, the rows' query, pages and the CSV's rows;
- ``display``: what a row shows (``StaffRow``);
- ``summary``: the counts over all staff.

Cost: the rows are one ``UNION ALL`` query of the two sources, filtered, ordered and
sliced in PostgreSQL; the certificate and the quizzes passed are correlated subqueries in
it, worked out only for the rows a page shows. A page costs the same number of queries
however many staff (and courses) there are: the scope (one, and one more when course
outlines are not in the cache), the summary (three), the count (none without filters: the
summary has it) and the page (one). The CSV export reads every row in one query.
"""
from .display import StaffRow, to_row
from .rows import COLUMNS, PER_PAGE, StaffFilters, StaffRows, iter_staff_rows, staff_page
from .scope import CourseRef, Scope, required_quizzes, staff_scope
from .states import (
    CERT_ENDED, CERT_EXPIRING, CERT_NONE, CERT_VALID, CERTIFICATE_FILTERS, CERTIFICATE_LABELS, COMPLETED, EXPIRED,
    EXPIRING, IN_PROGRESS, INVITED, NOT_STARTED, REVOKED, STATUS_CHOICES, STATUS_LABELS, VALID, certificate_choices,
    expiry_soon_days,
)
from .summary import Summary, staff_summary

__all__ = [
    "CERT_ENDED", "CERT_EXPIRING", "CERT_NONE", "CERT_VALID", "CERTIFICATE_FILTERS", "CERTIFICATE_LABELS", "COLUMNS",
    "COMPLETED", "CourseRef", "EXPIRED", "EXPIRING", "IN_PROGRESS", "INVITED", "NOT_STARTED", "PER_PAGE", "REVOKED",
    "STATUS_CHOICES", "STATUS_LABELS", "Scope", "StaffFilters", "StaffRow", "StaffRows", "Summary", "VALID",
    "certificate_choices", "expiry_soon_days", "iter_staff_rows", "required_quizzes", "staff_page", "staff_scope",
    "staff_summary", "to_row",
]
