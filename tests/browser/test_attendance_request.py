"""A participant requests their attendance slip on a 375 px phone: the meeting code and
their name, the slip downloads; a wrong code is refused clearly. axe-core on both."""
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from attendance import services
from attendance.models import Slip
from tests.attendance.conftest import certificate_for, meeting_for
from tests.factories import UserFactory
from tests.marks import BROWSER

from .helpers import PHONE_375, assert_no_horizontal_scroll, check_axe, new_page

pytestmark = BROWSER

NAME = "Zoë Ñúñez-O'Brien"


def test_participant_requests_a_slip_on_a_phone(browser, live_server):
    facilitator = UserFactory(certificate_name="Sam Rivera")
    certificate_for(facilitator)
    meeting = meeting_for(facilitator)
    code = services.meeting_code_open(user=facilitator, meeting=meeting)

    phone = new_page(browser, live_server.url, viewport=PHONE_375)
    try:
        phone.goto("/attendance/")
        expect(phone.get_by_role("heading", level=1, name="Get your attendance slip")).to_be_visible()
        assert_no_horizontal_scroll(phone, "attendance request at 375 px")
        check_axe(phone, "attendance request")

        phone.get_by_label(re.compile("^Meeting code")).fill("AAAAAA")
        phone.get_by_label(re.compile("^Your name")).fill(NAME)
        phone.get_by_role("button", name="Download my slip").click()
        expect(phone.get_by_role("alert")).to_contain_text("does not work")
        check_axe(phone, "attendance request refused")
        assert not Slip.objects.exists()

        phone.get_by_label(re.compile("^Meeting code")).fill(code.code.lower())
        phone.get_by_label(re.compile("^Your name")).fill(NAME)
        with phone.expect_download() as download_info:
            phone.get_by_role("button", name="Download my slip").click()
        reader = PdfReader(download_info.value.path())
        assert len(reader.pages) == 1
        text = " ".join(reader.pages[0].extract_text().split())
        assert NAME in text and "Sam R." in text and "4-Point meeting" in text
        assert Slip.objects.count() == 1
    finally:
        phone.context.close()
