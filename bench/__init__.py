"""`make bench`: serve the app with gunicorn against PostgreSQL and measure it.

Modules, in the order ``run.py`` uses them:

- ``settings.py`` / ``urls.py``: production-like settings (DEBUG off) plus a hello-world view.
- ``database.py``: drop and recreate the ``lms_bench`` database, migrate it.
- ``fixtures.py``: the large course (unless ``seed_demo --large-course`` makes it), learners,
  the bare Wagtail page with the same body, and the small courses for query scaling.
- ``queries.py``: SQL queries per request, counted in-process with Django's test client.
- ``server.py``: start and stop gunicorn on a free loopback port.
- ``load.py``: a threaded HTTP load generator (persistent ``http.client`` connections).
- ``report.py``: the printed table and ``bench/latest.json``.
- ``exam_rush.py``: the exam rush (learners submitting a quiz at once; graded by real workers).
- ``workers.py``: the task steps' stack (a private redis-server, a Celery worker, gunicorn),
  started by the tests' process starter (``tests/integration/processes.py``).
- ``certification.py`` / ``certification_fixtures.py``: PDF render time, certificates issued
  per minute by two workers, the verification page against hello-world.
- ``webhook.py`` / ``webhook_fixtures.py``: Stripe webhook intake latency (signed events
  POSTed to gunicorn) and orders fulfilled per second by two workers, duplicates absorbed.
- ``manager_dashboard.py`` / ``manager_dashboard_fixtures.py``: an organisation manager's
  staff progress page for 1,000 staff (p95 against hello-world, queries constant in staff
  count) and its CSV export time.

``python -m bench.profile`` (after a run) splits the lesson page's CPU time into its parts.
"""
