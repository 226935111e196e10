"""The permissions staff need for organisations in the Wagtail admin, by name (migration
0002 gives them to the *Payments staff* group)."""
from payments import permissions as payments_permissions

# Lists and inspects organisations (so does either right below: acting implies seeing).
VIEW = "organisations.view_organisation"
# Marks or unmarks a partner organisation.
CHANGE = "organisations.change_organisation"
# Grants seats by hand, or takes free ones back.
GRANT_SEATS = "organisations.grant_seats"
# payments' own right to refund any order, which a refund of a seat order's unused seats needs.
REFUND_ORDER = payments_permissions.REFUND

# Any of these lets staff see the organisations listing and inspect page.
SEE = (VIEW, CHANGE, GRANT_SEATS)
