"""``manage.py seed_demo``: demo courses (with their quizzes), an about page, a demo
organisation with seats and staff, and demo accounts.

Safe to run again: pages are found by slug under their parent and accounts by email, so
nothing is duplicated. Assembled in ``lms/demo/`` from each app's demo content.
"""
import logging
import os
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from lms.demo import SeedError, seed
from payments import gateway, money


class Command(BaseCommand):
    help = (
        "Load the demo courses, an about page and demo accounts with known passwords. "
        "Idempotent: running it again adds only what is missing. Never for production."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--large-course",
            type=int,
            metavar="N",
            help='Also ensure the "Benchmark Course" (slug benchmark-course) with exactly N '
            "lessons, in modules of 10.",
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Rewrite demo pages that already exist from the code, publishing a new "
            "revision of each (by default existing pages are left as they are).",
        )

    def handle(self, *args, large_course=None, update=False, **options):
        settings_module = settings.SETTINGS_MODULE or os.environ.get("DJANGO_SETTINGS_MODULE", "")
        if settings_module.endswith(".production"):
            raise CommandError(
                "seed_demo creates accounts with published passwords; it does not run with "
                "production settings."
            )
        if large_course is not None and large_course < 1:
            raise CommandError("--large-course needs a number of lessons of at least 1.")
        try:
            with _quiet_task_logs(enabled=options.get("verbosity", 1) < 2):
                result = seed(update=update, large_course=large_course)
        except SeedError as error:
            raise CommandError(str(error)) from error

        pages = result.pages
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {pages['created']} pages created, {pages['updated']} "
                f"updated, {pages['unchanged']} already there"
                + (f", {pages['removed']} removed" if pages["removed"] else "")
                + f"; {result.media_created} files, {result.banks_created} question "
                f"bank{'s' if result.banks_created != 1 else ''}, "
                f"{result.programmes_created} certification programme"
                f"{'s' if result.programmes_created != 1 else ''}, "
                f"{result.organisations_created} organisation"
                f"{'s' if result.organisations_created != 1 else ''}, "
                f"{result.codes_created} discount code{'s' if result.codes_created != 1 else ''} and "
                f"{result.users_created} accounts created."
            )
        )
        # BASE_URL: `make demo PORT=...` sets it to the address the demo serves on.
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        lines = [
            "",
            f"Site:  {base}/",
            f"Admin: {base}/admin/",
            "Courses:",
            *(f"  {course.title}{_fee(course)}: {base}{course.url}" for course in result.courses),
            *_paying(result),
            "Demo sign-ins (email / password):",
            *(f"  {u.email} / {u.password}  ({u.role})" for u in result.logins),
            *(
                f"  (no {u.role} account yet: the group “{u.group}” is missing; run "
                "`manage.py migrate`, then seed_demo again)"
                for u in result.skipped_logins
            ),
            *_waiting(result, base),
            *_certificate(result, base),
            *_ce_certificate(result, base),
        ]
        self.stdout.write("\n".join(lines))


def _fee(course) -> str:
    return "" if course.is_free else f" (fee {money.display(course.price_amount, course.price_currency)})"


def _paying(result) -> list[str]:
    """How to take the paid course: with the waiver code (the only way without Stripe keys)."""
    paid = [course for course in result.courses if not course.is_free]
    if not paid or not result.waiver_code:
        return []
    if gateway.is_configured():
        return [f"  Paying: by card through Stripe, or with the fee-waiver code {result.waiver_code} at checkout."]
    return [f"  Paying: no Stripe keys are set, so no card payment; enrol in a paid course with the "
            f"fee-waiver code {result.waiver_code} at checkout."]


def _waiting(result, base: str) -> list[str]:
    """Whose written answer waits in the review queue, and how to see her side."""
    staff = result.waiting_for_review
    if staff is None:
        return []
    return [
        f"  {staff.email} / {staff.password}  ({staff.name}, Riverside Recovery Centre staff: her final "
        f"assessment's written answer waits in the review queue; her side: {base}/learn/)",
    ]


def _certificate(result, base: str) -> list[str]:
    """The certificate the demo learner holds: its code and where to try it."""
    certificate = result.certificate
    if certificate is None:
        return []
    verify = reverse("certification:verify", args=[certificate.code])
    return [
        f"The learner's certificate: {certificate.programme.title}, code {certificate.display_code}",
        f"  Check it (anyone): {base}{verify}",
        f"  PDF, digital credential and Add to LinkedIn (signed in as {certificate.holder.email}): "
        f"{base}{reverse('certification:mine')}",
    ]


def _ce_certificate(result, base: str) -> list[str]:
    """The CE certificate the demo learner holds: its code, and that its approval is an example."""
    certificate = result.ce_certificate
    if certificate is None:
        return []
    verify = reverse("certification:verify", args=[certificate.code])
    return [
        f"The learner's CE certificate: {certificate.course_title}, {certificate.hours.normalize():f} CE hours, "
        f"code {certificate.display_code}",
        f"  {certificate.body_name}, provider number {certificate.provider_number}: a demo value, not a real approval",
        f"  Check it (anyone): {base}{verify}",
        f"  PDF and CE transcript (signed in as {certificate.holder.email}): "
        f"{base}{reverse('continuing_education:status')} and {base}{reverse('continuing_education:transcript')}",
    ]


@contextmanager
def _quiet_task_logs(*, enabled: bool):
    """Without a broker, tasks run in-process and Celery logs every run (one per published
    lesson): keep that out of the command's output unless asked for with -v 2."""
    logger = logging.getLogger("celery.app.trace")
    previous = logger.level
    if enabled:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(previous)
