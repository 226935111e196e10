"""Lists of courses (the catalogue, the home page, an organisation's seat form) show each
fee as the course page shows it to the same reader: their chosen currency, else their
country's, when the course has a fee in it; else the main one, said plainly. One query
reads the fees of the whole list, and none when the reader wants no other currency; no
reader's currency is kept for another."""
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from payments import money, selectors
from payments.models import CoursePrice
from tests.factories import UserFactory, build_course

from .helpers import paid_course

pytestmark = pytest.mark.django_db
MEXICO = {"HTTP_ACCEPT_LANGUAGE": "es-MX,es;q=0.9"}


def fees(course, **amounts) -> None:
    for position, (currency, amount) in enumerate(amounts.items()):
        CoursePrice.objects.create(course=course, currency=currency, amount=Decimal(amount), sort_order=position)


@pytest.fixture
def courses():
    """One course with a fee in pesos, one without, and a free one."""
    pesos = paid_course("40.00", title="Facilitator Training")
    fees(pesos, MXN="700.00", EUR="37.00")
    dollars = paid_course("30.00", title="Host Training")
    fees(dollars, GBP="25.00")
    free = build_course(title="Introduction", modules=1, lessons_per_module=1)
    return pesos, dollars, free


def cards(page: str) -> dict[str, str]:
    """Each card's meta line by course title."""
    soup = BeautifulSoup(page, "html.parser")
    return {
        card.select_one(".card-title").get_text(strip=True): " ".join(card.select_one(".meta").get_text().split())
        for card in soup.select("li.card")
    }


def shown(amount: str, currency: str, language: str = "en") -> str:
    with translation.override(language):
        return money.display(Decimal(amount), currency).replace("\xa0", " ")


def test_a_spanish_reader_in_mexico_sees_pesos_on_the_catalogue_card(client, courses):
    response = client.get("/courses/", **MEXICO)
    assert response.status_code == 302 and response["Location"] == "/es/courses/"
    listed = cards(client.get("/es/courses/", **MEXICO).content.decode())
    assert shown("700", "MXN", "es") in listed["Facilitator Training"]
    assert "Precio:" in listed["Facilitator Training"] and "en " not in listed["Facilitator Training"].split("·")[-1]
    # No fee in pesos: the main fee, with its currency named, as the course page says it.
    assert listed["Host Training"].endswith(f"Precio: {shown('30', 'USD', 'es')} (en dólares estadounidenses)")
    assert listed["Introduction"].endswith("Gratis")
    # The same fee as the course page shows this reader.
    page = client.get("/es" + courses[0].url, **MEXICO).content.decode()
    with translation.override("es"):
        assert f"<strong>{money.display(Decimal('700'), 'MXN')}</strong>" in page


def test_the_home_page_cards_follow_the_readers_currency(client, courses):
    listed = cards(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode())
    assert listed["Facilitator Training"].endswith("Fee: $40.00 (in US dollars)")
    assert listed["Host Training"].endswith("Fee: £25.00")
    learner = UserFactory(preferred_currency="EUR")
    client.force_login(learner)
    listed = cards(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode())
    assert listed["Facilitator Training"].endswith("Fee: €37.00")  # chosen wins over the country's
    assert listed["Host Training"].endswith("Fee: $30.00 (in US dollars)")


def test_nothing_said_shows_the_main_fee_with_nothing_to_explain(client, courses):
    listed = cards(client.get("/courses/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert listed["Facilitator Training"].endswith("Fee: $40.00")
    assert listed["Host Training"].endswith("Fee: $30.00")


def _catalogue_queries(client, **headers) -> list[str]:
    client.get("/courses/", **headers)  # warm: caches, first-visit writes
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/courses/", **headers).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def test_the_catalogue_reads_every_fee_in_one_query_whatever_the_number_of_courses(client, courses):
    plain = _catalogue_queries(client, HTTP_ACCEPT_LANGUAGE="en")
    assert not [sql for sql in plain if "payments_courseprice" in sql]  # nobody wants another currency
    british = _catalogue_queries(client, HTTP_ACCEPT_LANGUAGE="en-GB")
    assert len([sql for sql in british if "payments_courseprice" in sql]) == 1
    assert len(british) == len(plain) + 1
    for n in range(4):  # more paid courses, each with fees in more currencies: the same count
        fees(paid_course("20.00", title=f"Course {n}"), GBP="15.00", CAD="28.00", AUD="30.00")
    assert len(_catalogue_queries(client, HTTP_ACCEPT_LANGUAGE="en-GB")) == len(british)
    assert len(_catalogue_queries(client, HTTP_ACCEPT_LANGUAGE="en")) == len(plain)


def test_one_readers_currency_is_never_shown_to_another(courses):
    """Readers of the same pages in the same language, in turn, each see their own fees."""
    mexican, british, chosen = Client(), Client(), Client()
    chosen.post(reverse("payments:choose_currency"), {"currency": "EUR", "next": "/"})
    readers = (
        # client, browser language, Facilitator Training's fee, Host Training's fee
        (mexican, "en-MX", "MX$700.00", "$30.00 (in US dollars)"),
        (british, "en-GB", "$40.00 (in US dollars)", "£25.00"),
        (chosen, "en", "€37.00", "$30.00 (in US dollars)"),
    )
    for _round in range(2):  # the second round reads whatever the first left in the caches
        for client, header, facilitator, host in readers:
            for url in ("/", "/courses/"):
                listed = cards(client.get(url, HTTP_ACCEPT_LANGUAGE=header).content.decode())
                assert listed["Facilitator Training"].endswith(f"Fee: {facilitator}"), (url, header)
                assert listed["Host Training"].endswith(f"Fee: {host}"), (url, header)
    # And in Spanish: a visitor from Spain sees euros, one from Mexico pesos, on the same page.
    spain = cards(Client().get("/es/courses/", HTTP_ACCEPT_LANGUAGE="es-ES").content.decode())
    mexico = cards(Client().get("/es/courses/", **MEXICO).content.decode())
    assert shown("37", "EUR", "es") in spain["Facilitator Training"]
    assert shown("700", "MXN", "es") in mexico["Facilitator Training"]


def test_the_list_selector_gives_what_the_course_page_gives(courses, rf):
    pesos, dollars, free = courses
    request = rf.get("/", HTTP_ACCEPT_LANGUAGE="es-MX")
    request.user, request.session = UserFactory(), {}
    with CaptureQueriesContext(connection) as ctx:
        listed = selectors.course_fees_shown([pesos, dollars, free], request=request)
    assert len(ctx.captured_queries) == 1
    assert set(listed) == {pesos.pk, dollars.pk}
    for course in (pesos, dollars):
        one = selectors.course_fee(course, request=request)
        assert (listed[course.pk].currency, listed[course.pk].amount, listed[course.pk].is_fallback) == (
            one.currency, one.amount, one.is_fallback)
    assert selectors.course_fees_shown([], request=request) == {}
    assert selectors.course_fees_shown([free], request=request) == {}


def test_the_seat_form_prices_each_course_in_the_managers_currency(client, courses):
    from organisations.models import Membership, Organisation

    manager = UserFactory(preferred_currency="MXN")
    organisation = Organisation.objects.create(name="Clínica Norte", country="MX", billing_email="pagos@example.org")
    Membership.objects.create(organisation=organisation, user=manager, role=Membership.Role.OWNER)
    client.force_login(manager)
    page = BeautifulSoup(client.get(reverse("organisations:seats", args=[organisation.pk])).content, "html.parser")
    options = {o.get_text(strip=True) for o in page.select("select[name=course] option")}
    assert f"Facilitator Training ({shown('700', 'MXN')} a place)".replace(" ", "\xa0") in {
        o.replace(" ", "\xa0") for o in options}
    assert "Host Training ($30.00 a place)" in options  # no fee in pesos: its main one
    # A refused purchase shows the same prices again.
    refused = client.post(reverse("organisations:seats_buy", args=[organisation.pk]),
                          {"course": str(courses[0].pk), "quantity": "0", "currency": ""})
    options = {o.get_text(strip=True) for o in BeautifulSoup(refused.content, "html.parser").select("select[name=course] option")}
    assert "Host Training ($30.00 a place)" in options
    assert any("700" in o and "Facilitator Training" in o for o in options)


def test_a_translated_course_lists_its_fee_in_pesos_too(client, courses):
    """The Spanish catalogue lists the course's Spanish page (its fees kept in step with
    the source's by wagtail-localize): the card and the page show the same pesos."""
    from tests.courses.translated import translate

    translated = translate(courses[0])
    listed = cards(client.get("/es/courses/", **MEXICO).content.decode())
    assert shown("700", "MXN", "es") in listed["ES Facilitator Training"]
    with translation.override("es"):
        fee = f"<strong>{money.display(Decimal('700'), 'MXN')}</strong>"
    assert fee in client.get(translated.url, **MEXICO).content.decode()
