"""Admin menu items that say how much work waits ("Review queue (3)"), so that staff see
what people are waiting on without opening each queue."""
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent


class CountedMenuItem(MenuItem):
    """Subclasses say how many things wait; nothing is added to the label at zero."""

    def waiting(self, request) -> int:
        raise NotImplementedError

    def render_component(self, request):
        # Menu items are shared between requests: build the counted label per request.
        waiting = self.waiting(request)
        label = f"{self.label} ({waiting})" if waiting else self.label
        return LinkMenuItemComponent(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )
