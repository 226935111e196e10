from django.http import Http404
from django.utils.translation import get_language, gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from courses.blocks import LessonStreamBlock


class HomePage(Page):
    """The site's front page: who the training is for, and a way into the catalogue."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "lms.ContentPage"]
    max_count = 1
    template = "lms/home_page.html"

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    @property
    def localized(self):
        # The site lookup (courses/site_lookup.py) hands Wagtail this page already in the
        # request's language and marks it so; Wagtail asks again on every request
        # (Page.route_for_request), which would cost a query or two (the active Locale,
        # the translation) on every page view.
        if getattr(self, "localized_for", None) == get_language():
            return self
        return super().localized

    def route(self, request, path_components):
        # catalogue/course/module/lesson: one query instead of Wagtail's walk of the tree.
        if len(path_components) == 4:
            from courses.routing import route_to_lesson

            if result := route_to_lesson(self, path_components, request):
                return result
        try:
            return super().route(request, path_components)
        except Http404:
            # A page not translated (or not published) in this home page's language is
            # read in the source language, under this language's URL prefix.
            from courses.languages import default_locale_id

            if self.locale_id == default_locale_id(request):
                raise
            source = self.get_translations().filter(locale_id=default_locale_id(request)).first()
            if source is None:
                raise
            return source.specific.route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_courses

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalogue_courses(request=request)
        return context


class ContentPage(Page):
    """A plain information page (about, privacy, help) using the lesson's content blocks."""

    body = StreamField(LessonStreamBlock(), use_json_field=True, blank=True)

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["lms.HomePage", "lms.ContentPage"]
    subpage_types = ["lms.ContentPage"]
    template = "lms/content_page.html"

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")
