"""Staff screens: read-only orders, refunding (``payments.refund_order``), discount codes
and batches of scholarship codes."""
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from courses.models import Enrollment
from payments import services
from payments.models import DiscountCode, Order, Refund
from tests.factories import UserFactory

from .helpers import discount_code, minor, paid_course, pending_order

pytestmark = pytest.mark.django_db


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
    assert "Enter an amount between $0.01 and $25.00" in too_much.content.decode()
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
                reverse("payments_admin:codes_generate")):
        assert client.get(url).status_code == 302


def test_generate_a_batch_of_scholarship_codes(client, finance):
    course = paid_course("40.00")
    client.force_login(finance)
    response = client.post(reverse("payments_admin:codes_generate"), {
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
        "code": "spring-25", "kind": "percent", "value": "25", "currency": "", "courses": [course.pk],
        "max_uses": "100", "expires_at": "", "active": "on", "batch_label": "", "note": "Newsletter",
    })
    assert response.status_code == 302, response.content.decode()[-3000:]
    code = DiscountCode.objects.get()
    assert (code.code, list(code.courses.all())) == ("SPRING-25", [course])  # capitals: codes ignore case
    duplicate = client.post(reverse("wagtailsnippets_payments_discountcode:add"), {
        "code": "Spring-25", "kind": "percent", "value": "10", "active": "on",
    })
    assert "Another discount code is already called that." in duplicate.content.decode()
    over = client.post(reverse("wagtailsnippets_payments_discountcode:add"), {
        "code": "TOOMUCH", "kind": "percent", "value": "150", "active": "on",
    })
    assert "A percentage cannot be more than 100." in over.content.decode()


def code_form(**fields) -> dict:
    """The discount code snippet's form as staff fill it in: a valid code unless told otherwise."""
    return {"code": "WELCOME", "kind": "percent", "value": "20", "currency": "", "max_uses": "", "expires_at": "",
            "active": "on", "batch_label": "", "note": "", **fields}


@pytest.mark.parametrize("fields, field, error", [
    ({"code": "---"}, "code", "A code needs at least one letter or digit."),
    ({"code": "BAD CODE ü"}, "code", "Use only the letters A to Z, digits and dashes. Not allowed: spaces, “ü”."),
    ({"code": "spring 25"}, "code", "Not allowed: spaces."),
    ({"code": "SPRING_25"}, "code", "Not allowed: “_”."),
    ({"code": "ÇA-VA"}, "code", "Not allowed: “Ç”."),
    ({"max_uses": "0"}, "max_uses", "Allow at least 1 use, or leave it empty for no limit."),
    ({"expires_at": "2020-01-31 12:00"}, "expires_at", "That date and time has already passed."),
])
def test_a_discount_code_staff_cannot_use_is_refused_with_a_reason(client, finance, fields, field, error):
    client.force_login(finance)
    response = client.post(reverse("wagtailsnippets_payments_discountcode:add"), code_form(**fields))
    assert response.status_code == 200
    assert not DiscountCode.objects.exists()  # nothing saved, not even an altered code
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert error in " ".join(errors[field])
    assert error in response.content.decode()  # shown to staff, next to the field


def test_a_valid_code_is_saved_in_capitals_with_its_limits(client, finance):
    client.force_login(finance)
    later = (timezone.localtime() + timezone.timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
    response = client.post(reverse("wagtailsnippets_payments_discountcode:add"),
                           code_form(code="  welcome-2026 ", max_uses="1", expires_at=later))
    assert response.status_code == 302, response.context["form"].errors
    code = DiscountCode.objects.get()
    assert (code.code, code.max_uses) == ("WELCOME-2026", 1)
    assert code.expires_at.strftime("%Y-%m-%d %H:%M") == later


def test_editing_keeps_a_past_expiry_but_refuses_a_new_one(client, finance):
    """A code that has run its course can still have its note edited; moving an expiry
    into the past is refused like a new one."""
    code = discount_code("AUTUMN", max_uses=10, expires_in=timezone.timedelta(days=-3, seconds=-17))
    shown = timezone.localtime(code.expires_at).strftime("%Y-%m-%d %H:%M")  # the form has no seconds
    url = reverse("wagtailsnippets_payments_discountcode:edit", args=[code.pk])
    client.force_login(finance)
    kept = client.post(url, code_form(code="AUTUMN", value="50", max_uses="10", expires_at=shown, note="Ended"))
    assert kept.status_code == 302, kept.context["form"].errors
    assert DiscountCode.objects.get(pk=code.pk).note == "Ended"
    earlier = timezone.localtime(code.expires_at - timezone.timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    moved = client.post(url, code_form(code="AUTUMN", value="50", max_uses="10", expires_at=earlier, note="Moved"))
    assert moved.status_code == 200
    assert "That date and time has already passed." in " ".join(moved.context["form"].errors["expires_at"])
    assert DiscountCode.objects.get(pk=code.pk).note == "Ended"


@pytest.mark.parametrize("count, message, listed", [
    (1, "1 single-use code generated in batch", "1 code in batch"),
    (2, "2 single-use codes generated in batch", "2 codes in batch"),
])
def test_generated_codes_are_counted_in_good_english(client, finance, count, message, listed):
    client.force_login(finance)
    response = client.post(reverse("payments_admin:codes_generate"), {
        "batch_label": "Spring", "count": str(count), "percent": "100", "prefix": "SCH",
    })
    assert response.status_code == 200 and DiscountCode.objects.count() == count
    page = response.content.decode()
    assert any(message in str(m) for m in response.context["messages"])
    assert f"<p class=\"w-mt-4\">{listed} “Spring”:</p>" in page


@pytest.mark.parametrize("fields, field, error", [
    ({"expires_at": "2020-01-31 12:00"}, "expires_at", "That date and time has already passed."),
    ({"prefix": "SCHÜ"}, "prefix", "Use only the letters A to Z and digits"),
    ({"prefix": "S CH"}, "prefix", "Use only the letters A to Z and digits"),
])
def test_a_batch_with_a_bad_expiry_or_prefix_is_refused(client, finance, fields, field, error):
    client.force_login(finance)
    response = client.post(reverse("payments_admin:codes_generate"), {
        "batch_label": "Spring", "count": "3", "percent": "100", "prefix": "SCH", **fields,
    })
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert not DiscountCode.objects.exists()


def test_admin_pages_render(client, finance, paid):
    client.force_login(finance)
    services.order_refund(order_id=paid.pk, amount=Decimal("5.00"), by=finance, reason="other")
    page = client.get(reverse("payments_orders:inspect", args=[paid.pk])).content.decode()
    assert "$5.00" in page and "payment_intent.succeeded" not in page  # settled directly, no events
    for url in (
        reverse("wagtailsnippets_payments_discountcode:list") + "?active=true&kind=percent&is_scholarship=true",
        reverse("payments_admin:codes_generate"),
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


@pytest.mark.parametrize("stored, max_uses", [("SPRING_2024", "5"), ("CAFÉ10", "5"), ("ZERO-USES", "0")])
def test_a_code_saved_before_the_rules_can_still_be_switched_off(client, finance, stored, max_uses):
    """Learners may hold it: staff edit its other fields (here: switch it off) without
    renaming it; renaming it to something the rules refuse is still refused."""
    code = discount_code("PLACEHOLDER", max_uses=int(max_uses))
    DiscountCode.objects.filter(pk=code.pk).update(code=stored)  # as an older version saved it
    url = reverse("wagtailsnippets_payments_discountcode:edit", args=[code.pk])
    client.force_login(finance)
    off = client.post(url, code_form(code=stored, value="50", max_uses=max_uses, active="", note="Leaked"))
    assert off.status_code == 302, off.context["form"].errors
    assert DiscountCode.objects.filter(pk=code.pk, active=False, note="Leaked", code=stored).exists()
    renamed = client.post(url, code_form(code=stored + " X", value="50", max_uses=max_uses, note="Renamed"))
    assert renamed.status_code == 200 and "Not allowed" in " ".join(renamed.context["form"].errors["code"])
