"""The lead image in the article form: chosen from the library or uploaded into it, refusals
in the form, thumbnails, removal."""

import html
from pathlib import Path

import pytest
from django.conf import settings

from news import images, revisions
from news.models import Article, Image, Revision
from news.tasks import make_renditions_now

from .conftest import change_url, form_data, make_article
from .imagefiles import SVG, bomb, camera_jpeg, image_file, truncated_jpeg, upload
from .library import library_image, stored, with_image

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/news/article/add/"
LIST_URL = "/admin/news/article/"
ALT = "Een minaret bij zonsondergang."


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_a_writer_uploads_a_photo_and_sees_it_in_the_list_and_the_form(client, writer):
    client.force_login(writer)
    data = form_data(status="draft", image=upload(camera_jpeg()), image_alt=ALT)
    data.update(image_caption="Marrakech.", image_credit="Foto: Redactie")
    assert client.post(ADD_URL, data).status_code == 302
    article = Article.objects.get()
    image = article.lead_image
    assert (image.width, image.height) == (1000, 1600)  # turned upright
    assert image.caption == "Marrakech." and image.alt == ALT and image.uploaded_by == writer
    assert image.renditions_status == "pending"  # the worker makes them, not the request
    assert make_renditions_now(image) == "ready"

    thumbnail = images.thumbnail(image.renditions)
    listing = client.get(LIST_URL).content.decode()
    assert f'<img class="list-thumbnail" src="{settings.MEDIA_URL}{thumbnail["name"]}"' in listing

    form = client.get(change_url(article)).content.decode()
    assert "Afbeelding" in form and 'class="image-preview lead-image-preview"' in form
    assert f'src="{settings.MEDIA_URL}{thumbnail["name"]}"' in form
    assert f'href="/admin/news/image/{image.pk}/change/"' in form  # its focal point is there
    assert 'accept="image/jpeg,image/png,image/webp,image/gif"' in form


REFUSED = {
    "bomb": (bomb, "bomb.png", "megapixel"),
    "truncated": (truncated_jpeg, "half.jpg", "beschadigd of onvolledig"),
    "text": (lambda: b"Geen foto.\n" * 50, "tekst.jpg", "geen JPEG-, PNG-, WebP- of GIF"),
    "svg": (lambda: SVG, "tekening.svg", "geen JPEG-, PNG-, WebP- of GIF"),
}


@pytest.mark.parametrize("kind", REFUSED)
def test_a_refused_file_is_explained_in_the_form_and_the_text_stays(client, final_editor, kind):
    make, name, reason = REFUSED[kind]
    client.force_login(final_editor)
    data = form_data(title="Mijn titel", lead="Mijn intro.", image=upload(make(), name))
    data["image_alt"] = ALT
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    errors = page[page.index('<div class="form-row errors field-image') :]
    assert reason in errors[: errors.index("</ul>")]
    assert 'value="Mijn titel"' in page and "Mijn intro." in page and ALT in page
    assert not Article.objects.exists() and not Image.objects.exists()
    assert media_files() == set()


def test_an_image_without_alt_text_is_refused_with_the_rest_kept(client, final_editor):
    client.force_login(final_editor)
    data = form_data(title="Mijn titel", image=upload(image_file(size=(600, 400))))
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    errors = page[page.index('<div class="form-row errors field-image_alt') :]
    assert images.MISSING_ALT in errors[: errors.index("</ul>")]
    assert 'value="Mijn titel"' in page
    assert not Article.objects.exists()


def test_choosing_no_image_removes_it_from_the_article_not_from_the_library(
    client, final_editor, django_capture_on_commit_callbacks
):
    article = with_image()
    image, files = article.lead_image, media_files()
    client.force_login(final_editor)
    data = form_data(article, lead_image="")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.lead_image is None and article.image_renditions == []
    assert Image.objects.filter(pk=image.pk).exists() and media_files() == files


def test_choosing_a_library_image_makes_it_the_lead_image(client, writer):
    image = library_image(caption="Uit de bibliotheek.")
    article = make_article(status="draft")
    client.force_login(writer)
    assert (
        client.post(
            change_url(article), form_data(article, status="draft", lead_image=image.pk)
        ).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.lead_image == image
    form = client.get(change_url(article)).content.decode()
    assert f'<option value="{image.pk}" selected>' in form


def test_uploading_in_the_form_adds_to_the_library_and_keeps_the_old_image(
    client, final_editor, django_capture_on_commit_callbacks
):
    article = with_image(image_file(size=(600, 400)))
    old, old_files = article.lead_image, media_files()
    client.force_login(final_editor)
    data = form_data(
        article, lead_image=old.pk, image=upload(image_file("PNG", size=(500, 500)), "nieuw.png")
    )
    data["image_alt"] = ALT
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    new = article.lead_image
    assert new != old and new.file.name.endswith(".png")
    assert new.file.name.split("/")[-1].startswith(article.slug)
    assert old_files <= media_files()  # the old image is still in the library
    make_renditions_now(new)
    assert stored(new) <= media_files()


def test_revisions_keep_the_chosen_image(client, final_editor):
    client.force_login(final_editor)
    data = form_data(image=upload(image_file(size=(600, 400))), image_alt=ALT)
    client.post(ADD_URL, data)
    article = Article.objects.get()
    revision = Revision.objects.filter(article_id=article.pk).first()
    assert revision.data["lead_image"] == article.lead_image_id
    assert article.lead_image.alt == ALT


def test_restoring_a_revision_whose_image_was_deleted_keeps_the_current_and_says_so(
    client, final_editor
):
    article = with_image(title="Eerst met een andere")
    gone = article.lead_image
    old = revisions.record(article)
    article = with_image(article=article)
    gone.delete()
    client.force_login(final_editor)
    url = f"/admin/news/article/{article.pk}/revisies/{old.pk}/herstellen/"
    page = client.post(url, follow=True).content.decode()
    assert "De huidige afbeelding is gebleven." in page
    current = article.lead_image
    article.refresh_from_db()
    assert article.lead_image == current
