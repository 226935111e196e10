"""System checks: a site that takes card payments must be able to hear back from Stripe."""
from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register


@register("payments")
def stripe_settings_check(app_configs: object, **kwargs: object) -> list[CheckMessage]:
    problems = []
    key = settings.STRIPE_SECRET_KEY
    if key and not settings.STRIPE_WEBHOOK_SECRET:
        problems.append(Warning(
            "STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not: Stripe's webhooks to /stripe/webhook/ "
            "will be refused, and payments are settled only by the success page and reconciliation.",
            hint="Add a webhook endpoint in Stripe's dashboard (or `stripe listen`) and set its signing secret.",
            id="payments.W001",
        ))
    if key.startswith(("sk_live_", "rk_live_")) and settings.STRIPE_API_BASE:
        problems.append(Error(
            "STRIPE_API_BASE is set with a live Stripe key: live payments must go to Stripe itself.",
            hint="Unset STRIPE_API_BASE (it is for tests against localstripe).",
            id="payments.E001",
        ))
    return problems
