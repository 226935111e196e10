"""Staff screens: read-only orders, refunding (``payments.refund_order``), discount codes
and batches of scholarship codes."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from courses.models import Enrollment
from payments import services
from payments.models import DiscountCode, Order, Refund
from tests.factories import UserFactory

from .helpers import minor, paid_course, pending_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Payments staff"))
    return user


@pytest.fixture
def viewer():
    user = UserFactory(is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_order")
    )
    return user


@pytest.fixture
def paid(stripe_api):
    order = pending_order(UserFactory(), paid_course("40.00"))
    intent = stripe_api.client.v1.payment_intents.create(params={
        "amount": minor(order), "currency": "usd", "payment_method": "pm_card_visa", "confirm": True,
        "metadata": {"order_id": str(order.pk)},
    })
    services.order_fulfil(order_id=order.pk, paid_amount=minor(order), currency="usd", payment_intent_id=intent.id)
    return Order.objects.get(pk=order.pk)


def test_orders_are_listed_and_inspected_read_only(client, finance, paid):
    client.force_login(finance)
    listing = client.get(reverse("payments_orders:index"))
    assert listing.status_code == 200
    assert paid.reference in listing.content.decode()
    inspect = client.get(reverse("payments_orders:inspect", args=[paid.pk]))
    assert inspect.status_code == 200
    assert reverse("payments_orders:refund", args=[paid.pk]) in inspect.content.decode()
    assert client.get(reverse("payments_orders:edit", args=[paid.pk])).status_code == 302  # refused
    assert client.get(reverse("payments_orders:add")).status_code == 302
    assert client.get(reverse("payments_orders:index") + "?status=paid").status_code == 200


def test_staff_refund_from_the_admin(client, finance, paid):
    client.force_login(finance)
    url = reverse("payments_orders:refund", args=[paid.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'value="40.00"' in form.content.decode()
    unconfirmed = client.post(url, {"amount": "40.00", "reason": "requested_by_customer"})
    assert unconfirmed.status_code == 200
    assert not Refund.objects.exists()
    response = client.post(url, {"amount": "15.00", "reason": "requested_by_customer", "note": "Moved abroad", "confirm": "on"})
    assert response.status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.by, refund.note, refund.status) == (Decimal("15.00"), finance, "Moved abroad", "succeeded")
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PARTIALLY_REFUNDED
    too_much = client.post(url, {"amount": "30.00", "reason": "other", "confirm": "on"})
    assert "Enter an amount between 0.01 USD and 25.00 USD" in too_much.content.decode()
    client.post(url, {"amount": "25.00", "reason": "other", "confirm": "on"})
    assert Order.objects.get(pk=paid.pk).status == Order.Status.REFUNDED
    assert Enrollment.objects.get().status == Enrollment.Status.WITHDRAWN


def test_refunding_needs_the_permission(client, viewer, paid):
    client.force_login(viewer)
    assert client.get(reverse("payments_orders:inspect", args=[paid.pk])).status_code == 200
    url = reverse("payments_orders:refund", args=[paid.pk])
    assert client.get(url).status_code == 302
    response = client.post(url, {"amount": "40.00", "reason": "other", "confirm": "on"})
    assert response.status_code == 302
    assert not Refund.objects.exists()
    assert Order.objects.get(pk=paid.pk).status == Order.Status.PAID


def test_learners_cannot_reach_the_admin_screens(client, paid):
    client.force_login(paid.user)
    for url in (reverse("payments_orders:index"), reverse("payments_orders:refund", args=[paid.pk]),
                reverse("payments_codes_generate")):
        assert client.get(url).status_code == 302


def test_generate_a_batch_of_scholarship_codes(client, finance):
    course = paid_course("40.00")
    client.force_login(finance)
    response = client.post(reverse("payments_codes_generate"), {
        "batch_label": "Scholarships spring 2026", "count": "5", "percent": "100", "courses": [course.pk], "prefix": "sch",
    })
    assert response.status_code == 200
    codes = list(DiscountCode.objects.all())
    assert len(codes) == 5
    assert all(c.max_uses == 1 and c.is_scholarship and c.code.startswith("SCH-") for c in codes)
    assert all(list(c.courses.all()) == [course] for c in codes)
    assert len({c.code for c in codes}) == 5
    page = response.content.decode()
    assert all(c.code in page for c in codes)
    listing = client.get(reverse("wagtailsnippets_payments_discountcode:list") + "?q=spring")
    assert all(c.code in listing.content.decode() for c in codes)
    export = client.get(reverse("wagtailsnippets_payments_discountcode:list") + "?export=csv")
    assert export.status_code == 200
    assert codes[0].code in b"".join(export.streaming_content).decode()


def test_staff_create_a_code_limited_to_a_course(client, finance):
    course = paid_course("40.00")
    client.force_login(finance)
    response = client.post(reverse("wagtailsnippets_payments_discountcode:add"), {
        "code": "spring 25", "kind": "percent", "value": "25", "currency": "", "courses": [course.pk],
        "max_uses": "100", "expires_at": "", "active": "on", "batch_label": "", "note": "Newsletter",
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    code = DiscountCode.objects.get()
    assert (code.code, list(code.courses.all())) == ("SPRING25", [course])
    duplicate = client.post(reverse("wagtailsnippets_payments_discountcode:add"), {
        "code": "Spring25", "kind": "percent", "value": "10", "active": "on",
    })
    assert "Another discount code is already called that." in duplicate.content.decode()
    over = client.post(reverse("wagtailsnippets_payments_discountcode:add"), {
        "code": "TOOMUCH", "kind": "percent", "value": "150", "active": "on",
    })
    assert "A percentage cannot be more than 100." in over.content.decode()


def test_admin_pages_render(client, finance, paid):
    client.force_login(finance)
    services.order_refund(order_id=paid.pk, amount=Decimal("5.00"), by=finance, reason="other")
    page = client.get(reverse("payments_orders:inspect", args=[paid.pk])).content.decode()
    assert "5.00 USD" in page and "payment_intent.succeeded" not in page  # settled directly, no events
    for url in (
        reverse("wagtailsnippets_payments_discountcode:list") + "?active=true&kind=percent&is_scholarship=true",
        reverse("payments_codes_generate"),
        reverse("payments_orders:index") + "?q=" + paid.email,
        reverse("wagtailadmin_home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Generate scholarship codes" in client.get(reverse("wagtailsnippets_payments_discountcode:list")).content.decode()


def test_records_are_kept_out_of_wagtails_reference_index(paid):
    """Orders, scholarship applications and certificates are records, not content: a
    course page's "usage" does not list them, and saving one does not re-index it."""
    from wagtail.models import ReferenceIndex

    from certification.models import Certificate
    from payments.models import ScholarshipApplication

    for model in (Order, ScholarshipApplication, Certificate):
        assert not ReferenceIndex.is_indexed(model), model
    paid.save()
    sources = {ref.content_type.model_class() for ref in ReferenceIndex.get_references_to(paid.course)}
    assert Order not in sources
    # Content pages still are.
    assert ReferenceIndex.is_indexed(type(paid.course.specific))


def test_the_migration_forgets_records_indexed_before(paid):
    """Rows indexed while orders were still indexed go; content's own rows stay."""
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ReferenceIndex

    course = paid.course.specific

    def reference_from(source, field):
        source_type = ContentType.objects.get_for_model(type(source))
        return ReferenceIndex.objects.create(
            content_type=source_type, base_content_type=source_type, object_id=str(source.pk),
            to_content_type=ContentType.objects.get_for_model(type(course)), to_object_id=str(course.pk),
            model_path=field, content_path=field, content_path_hash=ReferenceIndex._get_content_path_hash(field),
        )

    from_order = reference_from(paid, "course")
    from_page = reference_from(course.get_parent().specific, "body.link")  # content linking to the course
    migration = importlib.import_module("payments.migrations.0006_records_out_of_reference_index")
    migration.forget(apps, None)
    assert not ReferenceIndex.objects.filter(pk=from_order.pk).exists()
    assert ReferenceIndex.objects.filter(pk=from_page.pk).exists()
