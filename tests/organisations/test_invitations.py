"""Invitations: the signed link (tampered, replaced, expired, used, withdrawn), the
preview of pasted lists and CSV files, sending once, and accepting all or nothing."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.utils import timezone

from courses.models import Enrollment
from organisations import selectors, services
from organisations.models import Invitation, Membership, Seat, SeatPool
from tests.factories import UserFactory, build_course

from .support import PASTED, invite

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_the_preview_reports_each_bad_line_with_the_reason(org, owner, course):
    invite(org, owner, course, "already@example.org")
    text = "\n".join([*PASTED, "already@example.org", ", Nobody"])
    preview = selectors.invitation_preview(organisation=org, course=course, text=text)
    assert [(r.line, r.email, r.name) for r in preview.good] == [
        (1, "ana@example.org", "Ana Silva"), (3, "ben@example.org", "Ben Okafor"),
    ]
    problems = {r.line: r.problem for r in preview.bad}
    assert "not an email address" in problems[2]
    assert "already on the list" in problems[5]
    assert "Already invited" in problems[6]
    assert "“Nobody” is not an email address" in problems[7]


def test_a_csv_file_with_a_header_or_without_one(org, course):
    with_header = "Name,Email\nAna Silva,ana@example.org\n=cmd|' /C calc'!A0,bad\nBen,ben@example.org\n"
    preview = selectors.invitation_preview(organisation=org, course=course, csv_data=with_header)
    assert [r.email for r in preview.good] == ["ana@example.org", "ben@example.org"]
    assert [(r.line, r.email) for r in preview.bad] == [(3, "bad")]
    bare = "cara@example.org,Cara\ndan@example.org\n"
    preview = selectors.invitation_preview(organisation=org, course=course, csv_data=bare)
    assert [(r.email, r.name) for r in preview.good] == [("cara@example.org", "Cara"), ("dan@example.org", "")]


def test_an_upload_is_capped(org, course, settings):
    settings.ORGANISATIONS_MAX_INVITATIONS_PER_UPLOAD = 2
    preview = selectors.invitation_preview(
        organisation=org, course=course, text="a@example.org\nb@example.org\nc@example.org"
    )
    assert len(preview.good) == 2 and "Only 2" in preview.bad[0].problem


def test_each_invitation_is_emailed_once_with_its_link(org, owner, course, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        made = invite(org, owner, course, "ana@example.org", "ben@example.org")
    assert sorted(m.to[0] for m in mailoutbox) == ["ana@example.org", "ben@example.org"]
    message = next(m for m in mailoutbox if m.to == ["ana@example.org"])
    assert selectors.invitation_url(made[0]) in message.body
    assert "never sees your reflections" in message.body
    # A retry of the task (same nonce) sends nothing more.
    assert services.invitation_send(invitation_id=made[0].pk, nonce=made[0].nonce) is False
    assert len(mailoutbox) == 2


def test_inviting_twice_makes_one_pending_invitation(org, owner, course):
    invite(org, owner, course, "ana@example.org")
    rows = [selectors.Row(line=1, email="ANA@example.org")]
    assert services.invitations_create(organisation=org, by=owner, rows=rows, course=course) == []
    assert Invitation.objects.count() == 1


@pytest.fixture
def seats(org, course):
    return services.seats_grant(organisation_id=org.pk, course=course, quantity=2, by=None, note="Grant")


def test_accepting_joins_and_takes_a_seat(org, owner, course, seats):
    [invitation] = invite(org, owner, course, "ana@example.org")
    ana = UserFactory(email="ana@example.org")
    accepted = services.invitation_accept(token=selectors.invitation_token(invitation), user=ana)
    assert accepted.membership.role == Role.MEMBER
    assert Enrollment.objects.get(user=ana, course=course).source == Enrollment.Source.SEAT
    assert SeatPool.objects.get(pk=seats.pk).used == 1
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == ("accepted", ana)
    # Opening the link again is harmless for the same person, and refused for anyone else.
    again = services.invitation_accept(token=selectors.invitation_token(invitation), user=ana)
    assert again.already
    with pytest.raises(services.InvitationInvalid, match="already been used"):
        services.invitation_accept(token=selectors.invitation_token(invitation), user=UserFactory())
    assert SeatPool.objects.get(pk=seats.pk).used == 1 and Seat.objects.count() == 1


@pytest.mark.parametrize("change", ["flip", "truncate", "other-id", "other-salt"])
def test_a_changed_link_is_refused_before_anything_happens(org, owner, course, seats, change):
    [invitation] = invite(org, owner, course, "ana@example.org")
    [other] = invite(org, owner, course, "ben@example.org")
    token = selectors.invitation_token(invitation)
    forged = {
        "flip": token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:],
        "truncate": token[:-8],
        "other-id": signing.Signer(salt=selectors.SALT).sign_object([other.pk, invitation.nonce]),
        "other-salt": signing.Signer(salt="something else").sign_object([invitation.pk, invitation.nonce]),
    }[change]
    with pytest.raises(services.InvitationInvalid):
        services.invitation_accept(token=forged, user=UserFactory())
    assert not Membership.objects.filter(role=Role.MEMBER).exists()
    assert SeatPool.objects.get(pk=seats.pk).used == 0


def test_resending_retires_the_old_link(org, owner, course, seats, mailoutbox, django_capture_on_commit_callbacks):
    [invitation] = invite(org, owner, course, "ana@example.org")
    old = selectors.invitation_token(invitation)
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.invitation_resend(organisation_id=org.pk, invitation_id=invitation.pk, by=owner)
    assert selectors.invitation_url(fresh) in mailoutbox[-1].body
    with pytest.raises(services.InvitationInvalid, match="replaced"):
        services.invitation_accept(token=old, user=UserFactory())
    services.invitation_accept(token=selectors.invitation_token(fresh), user=UserFactory())


def test_expired_and_withdrawn_invitations_change_nothing(org, owner, course, seats):
    expired, withdrawn = invite(org, owner, course, "ana@example.org", "ben@example.org")
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    services.invitation_withdraw(organisation_id=org.pk, invitation_id=withdrawn.pk, by=owner)
    with pytest.raises(services.InvitationInvalid, match="expired"):
        services.invitation_accept(token=selectors.invitation_token(expired), user=UserFactory())
    with pytest.raises(services.InvitationInvalid, match="withdrawn"):
        services.invitation_accept(token=selectors.invitation_token(withdrawn), user=UserFactory())
    assert SeatPool.objects.get(pk=seats.pk).used == 0
    assert not Enrollment.objects.exists()
    with pytest.raises(services.OrganisationError, match="withdrawn already"):
        services.invitation_withdraw(organisation_id=org.pk, invitation_id=withdrawn.pk, by=owner)


def test_an_invitation_of_another_organisation_cannot_be_withdrawn(org, owner, course):
    [invitation] = invite(org, owner, course, "ana@example.org")
    other = services.organisation_create(user=UserFactory(), name="Elsewhere", kind="health", country="IE",
                                         billing_email="x@elsewhere.example")
    with pytest.raises(services.OrganisationError, match="No such invitation"):
        services.invitation_withdraw(organisation_id=other.pk, invitation_id=invitation.pk, by=owner)
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"


def test_when_the_seats_are_gone_nothing_changes_and_the_link_still_works_later(org, owner, course):
    [invitation] = invite(org, owner, course, "ana@example.org")
    ana = UserFactory()
    with pytest.raises(services.SeatsGone, match="taken"):
        services.invitation_accept(token=selectors.invitation_token(invitation), user=ana)
    assert not Membership.objects.filter(user=ana).exists()
    assert Invitation.objects.get(pk=invitation.pk).status == "pending"
    services.seats_grant(organisation_id=org.pk, course=course, quantity=1, by=None, note="Invoice 12")
    services.invitation_accept(token=selectors.invitation_token(invitation), user=ana)
    assert Enrollment.objects.filter(user=ana, course=course).exists()


def test_a_manager_invitation_gives_the_manager_role_and_no_seat(org, owner):
    preview = selectors.invitation_preview(organisation=org, course=None, role=Role.MANAGER, text="cara@example.org")
    [invitation] = services.invitations_create(
        organisation=org, by=owner, rows=preview.good, course=None, role=Role.MANAGER
    )
    cara = UserFactory()
    accepted = services.invitation_accept(token=selectors.invitation_token(invitation), user=cara)
    assert accepted.membership.role == Role.MANAGER and accepted.taken is None
    with pytest.raises(services.OrganisationError, match="Invite managers"):
        services.invitations_create(organisation=org, by=owner, rows=preview.good, course=None, role=Role.OWNER)


def test_only_an_owner_invites_managers(org, owner):
    manager = UserFactory()
    services.membership_join(organisation_id=org.pk, user=manager, role=Role.MANAGER)
    rows = [selectors.Row(line=1, email="dee@example.org")]
    with pytest.raises(services.OrganisationError, match="Only an owner"):
        services.invitations_create(organisation=org, by=manager, rows=rows, course=None, role=Role.MANAGER)
    assert not Invitation.objects.exists()


def test_an_invitation_to_a_free_course_needs_no_places_bought(org, owner, catalogue):
    free = build_course(title="Introduction to Mutual Help")
    [invitation] = invite(org, owner, free, "eli@example.org")
    eli = UserFactory()
    accepted = services.invitation_accept(token=selectors.invitation_token(invitation), user=eli)
    assert accepted.taken.needed_seat and Enrollment.objects.get(user=eli, course=free).source == "seat"


@pytest.mark.parametrize("price, says, never", [
    ("40.00", "Your organisation pays for your place, so there is nothing for you to pay.", "The course is free"),
    (None, "The course is free, so there is nothing to pay.", "pays for your place"),
])
def test_the_email_says_who_pays_only_when_the_course_has_a_fee(
    org, owner, catalogue, mailoutbox, django_capture_on_commit_callbacks, price, says, never
):
    """The audit: a free course's invitation said "Your organisation has paid for your place"."""
    course = build_course(title="Introduction to Mutual Help", price=Decimal(price) if price else None)
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, owner, course, "eli@example.org")
    [message] = mailoutbox
    body = " ".join(message.body.split())
    assert "take the course “Introduction to Mutual Help”" in body
    assert says in body and never not in body and "has paid for your place" not in body


def test_a_manager_invitation_email_says_nothing_about_paying(org, owner, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, owner, None, "dee@example.org", role=Role.MANAGER)
    [message] = mailoutbox
    assert "help manage its staff's training" in message.body
    assert "pay" not in message.body and "free" not in message.body


def _saved(user, language: str, zone: str):
    from wagtail.users.models import UserProfile

    UserProfile.objects.update_or_create(user=user, defaults={"preferred_language": language, "current_time_zone": zone})


def test_the_invitation_is_written_in_the_invited_persons_language_else_the_managers_else_the_sites(
    org, owner, course, mailoutbox, django_capture_on_commit_callbacks
):
    """The same whether a worker sends it or the manager's request does (Celery eager ran it
    in the request's language: Spanish for anyone a Spanish page invited)."""
    from django.utils import translation

    english = "Riverside Recovery Centre has a place for you on “Meeting Facilitation”"
    spanish = "Riverside Recovery Centre tiene una plaza para ti en «Meeting Facilitation»"
    _saved(UserFactory(email="has-account@example.org"), "en", "Europe/London")
    # A manager who saved nothing, inviting from a Spanish page: the site's language.
    with translation.override("es"), django_capture_on_commit_callbacks(execute=True):
        invite(org, owner, course, "new@example.org")
    # A manager who reads Spanish: Spanish for someone without an account, but anyone who
    # saved a language of their own reads theirs.
    _saved(owner, "es", "Europe/Madrid")
    with django_capture_on_commit_callbacks(execute=True):
        invite(org, owner, course, "nueva@example.org", "has-account@example.org")
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects == {"new@example.org": english, "nueva@example.org": spanish, "has-account@example.org": english}
