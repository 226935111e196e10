"""Marks that whole test modules share: ``pytestmark = BROWSER`` or ``INTEGRATION``."""
import pytest

# Another thread (``live_server``) or process (a Celery worker) must see the test's rows, so
# they are committed; the flush after each test removes the site tree a data migration
# made, which ``serialized_rollback`` puts back.
COMMITTED = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BROWSER = [pytest.mark.browser, COMMITTED]
INTEGRATION = [pytest.mark.integration, COMMITTED]
