import pytest
from tests.integration.test_worker import test_task_survives_its_worker_process_being_killed as _t

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

@pytest.mark.parametrize("n", range(6))
def test_repeat(n, live_worker, worker_factory):
    _t(live_worker, worker_factory)
