"""System checks for configuration mistakes that would not fail loudly by themselves."""
from django.conf import settings
from django.core.checks import Error, register


@register()
def shared_cache_with_workers(app_configs, **kwargs):
    """Workers and web processes must see one cache, or course outlines go stale."""
    local_cache = settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
    if local_cache and not settings.CELERY_TASK_ALWAYS_EAGER:
        return [
            Error(
                "A Celery broker is configured but the cache is in-process.",
                hint="Set REDIS_URL or CACHE_URL so that web and worker processes share one cache.",
                id="lms.E001",
            )
        ]
    return []
