"""The retry policy of the tasks that send mail (``@shared_task(**RETRY)``).

Only connection errors are worth retrying: a template or address error will not mend.
The longest wait between tries (``retry_backoff_max``) must stay under the broker's
visibility timeout (``CELERY_BROKER_TRANSPORT_OPTIONS`` in the settings), or a message
waiting for its retry would be handed to a second worker and the mail sent twice.
"""

RETRY = {"autoretry_for": (OSError,), "retry_backoff": True, "retry_backoff_max": 600, "max_retries": 6}
