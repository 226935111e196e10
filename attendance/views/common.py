"""What the attendance views share: the slip PDF response."""
from django.http import HttpResponse

from ..pdf import render_slips
from ..services import IssuedSlip


def pdf_response(issued: list[IssuedSlip]) -> HttpResponse:
    """The slips as a download. The file name holds a slip code, never a name; no cache
    anywhere may keep it (it carries the name)."""
    filename = f"attendance-slip-{issued[0].slip.code}.pdf" if len(issued) == 1 else "attendance-slips.pdf"
    response = HttpResponse(render_slips(issued), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
