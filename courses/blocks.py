"""StreamField blocks a course author needs for lessons."""
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4", "blockquote", "hr"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Section heading")), ("h3", _("Sub-heading"))], default="h2"
    )

    class Meta:
        icon = "title"
        template = "courses/blocks/heading.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text=_("Describe the image for people who cannot see it. Leave empty only for decoration."),
        required=False,
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(help_text=_("A link to the video (for example on YouTube or Vimeo)."))
    title = blocks.CharBlock(max_length=200, help_text=_("Read out by screen readers."))
    captions_available = blocks.BooleanBlock(
        required=False, default=True, help_text=_("The video has captions switched on.")
    )
    transcript = blocks.RichTextBlock(
        features=["bold", "italic", "ol", "ul"],
        required=False,
        help_text=_(
            "Full text of what is said: for people who cannot play or hear the video, "
            "and for slow connections."
        ),
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Take care")), ("key", _("Key idea"))], default="key"
    )
    title = blocks.CharBlock(max_length=120, required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "pick"
        template = "courses/blocks/callout.html"


class WorksheetBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    description = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "doc-full"
        template = "courses/blocks/worksheet.html"


class ReflectionBlock(blocks.StructBlock):
    """A question the learner answers for themselves; answers are private to them."""

    prompt = blocks.TextBlock(help_text=_("A question for the learner to think about."))

    class Meta:
        icon = "help"
        template = "courses/blocks/reflection.html"


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, icon="pilcrow")
    heading = HeadingBlock()
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    worksheet = WorksheetBlock()
    reflection = ReflectionBlock()
