"""The demo, assembled from the top: each app's demo content, in the order they build on
one another, for ``manage.py seed_demo``.

- the site's "About this training" page: ``about`` (here);
- courses, their quizzes and the demo accounts: ``courses/demo/``;
- certification programmes, the code of conduct and the demo learner's certificate (a
  fixed code, printed by the command): ``certification/demo.py``;
- the demo organisation (a treatment service with seats, staff and an invitation; one
  staff member's written answer waits for a reviewer, and she can sign in):
  ``organisations/demo.py``;
- the facilitator course's fee: discount codes, a scholarship batch and an application
  waiting for staff (``payments/demo.py``);
- continuing education: an example accrediting body and approval (its provider number a
  demo value), the facilitator course's CE hours and evaluation page, and the demo
  learner's CE certificate (a fixed code, printed by the command):
  ``continuing_education/demo.py``;
- the Family & Friends course and the site's pages in Spanish, as wagtail-localize
  translations of the English pages (``spanish``, ``courses/demo/translate.py``).

Only this package, at the top of the house, imports the apps' demo modules; none of them
imports another's, except to build on the courses' content (``courses.demo.progress``).
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction

from certification.demo import ensure_demo_certificate, ensure_programmes
from courses.demo import facilitator, family, large, people
from courses.demo.build import Builder
from courses.demo.translate import Translator, spanish_locale
from continuing_education.demo import ensure_demo_ce
from courses.models import CourseIndexPage
from organisations.demo import WAITING_FOR_REVIEW, ensure_demo_organisation
from payments.demo import ensure_demo_payments

from ..models import ContentPage, HomePage
from . import about
from .spanish import SpanishDemo, spanish_demo


class SeedError(Exception):
    """The database is not ready for the demo (for example, migrations have not run)."""


@dataclass
class SeedResult:
    pages: dict = field(default_factory=dict)  # created / updated / unchanged / removed
    translated: int = 0  # pages translated (into Spanish), or translated again
    media_created: int = 0
    users_created: int = 0
    courses: list = field(default_factory=list)
    banks_created: int = 0
    programmes_created: int = 0
    organisations_created: int = 0
    codes_created: int = 0
    waiver_code: str = ""  # a code that takes the paid demo course without a card
    certificate: object = None  # the demo learner's certificate (certification.Certificate)
    ce_certificate: object = None  # the demo learner's CE certificate (continuing_education.CECertificate)
    waiting_for_review: object = None  # the staff member whose answer waits (organisations.demo.StaffMember)
    logins: list = field(default_factory=list)  # the DemoUser specs whose accounts exist
    skipped_logins: list = field(default_factory=list)  # optional accounts whose group is missing


def seed(
    *, update: bool = False, large_course: int | None = None, spanish: SpanishDemo | None = None
) -> SeedResult:
    """Create whatever demo content and accounts are missing; safe to run any number of times.

    ``update`` rewrites existing demo pages from the code (as new published revisions);
    ``large_course`` also ensures the benchmark course with that many lessons; ``spanish``
    is the Spanish demo data (``lms.demo.spanish``; by default the project's, when written).
    """
    spanish = spanish or spanish_demo()
    in_default = {"locale__language_code": settings.LANGUAGE_CODE}
    home = HomePage.objects.filter(**in_default).first()
    catalogue = CourseIndexPage.objects.filter(**in_default).first()
    if home is None or catalogue is None:
        raise SeedError("The home page or course catalogue is missing: run `manage.py migrate`.")

    with transaction.atomic():
        try:
            users, users_created = people.ensure_demo_users()
        except people.MissingGroup as error:
            raise SeedError(str(error)) from error
        builder = Builder(user=users[people.ADMIN.email], update=update)
        about_page = builder.ensure_page(
            home,
            ContentPage,
            slug=about.SLUG,
            title=about.TITLE,
            search_description=about.SEARCH_DESCRIPTION,
            show_in_menus=True,
            body=about.BODY,
        )
        courses = [
            builder.ensure_course(catalogue, facilitator.COURSE),
            builder.ensure_course(catalogue, family.COURSE),
        ]
        programmes_created = ensure_programmes(courses=courses, update=update)
        certificate = ensure_demo_certificate(learner=users[people.LEARNER.email], course=courses[1])
        organisations_created = ensure_demo_organisation(
            course=courses[0], manager=users[people.MANAGER.email], granted_by=users[people.ADMIN.email]
        )
        payments = ensure_demo_payments(course=courses[0], by=users[people.ADMIN.email])
        # The reviewer marks the final assessment's written answer (the admin, while the
        # reviewers' group is missing).
        reviewer = users.get(people.REVIEWER.email) or users[people.ADMIN.email]
        ce = ensure_demo_ce(builder=builder, course=courses[0], learner=users[people.LEARNER.email], reviewer=reviewer)
        if large_course:
            courses.append(large.ensure_large_course(builder, catalogue, large_course))
        if spanish is not None:
            translator = Translator(builder, spanish_locale(), update=update)
            translator.page(home, spanish.home)
            translator.page(catalogue, spanish.catalogue)
            translator.page(about_page, spanish.about)
            translator.course(courses[1], spanish.family)
    counts = builder.counts
    return SeedResult(
        pages={k: counts[k] for k in ("created", "updated", "unchanged", "removed")},
        translated=counts["translated"],
        media_created=counts["media"],
        users_created=users_created,
        courses=courses,
        banks_created=counts["banks_created"],
        programmes_created=programmes_created,
        organisations_created=organisations_created,
        codes_created=payments.codes_created,
        waiver_code=payments.waiver_code,
        certificate=certificate,
        ce_certificate=ce.certificate,
        waiting_for_review=WAITING_FOR_REVIEW,
        logins=[spec for spec in people.DEMO_USERS if spec.email in users],
        skipped_logins=[spec for spec in people.DEMO_USERS if spec.email not in users],
    )
