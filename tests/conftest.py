import pytest


@pytest.fixture(autouse=True)
def _fast_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(db):
    from courses.models import CourseIndexPage

    return CourseIndexPage.objects.get()
