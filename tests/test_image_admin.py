"""The lead image in the newsroom: upload, refusal in the form, thumbnails, removal."""

import html
from pathlib import Path

import pytest
from django.conf import settings

from news import images, revisions
from news.models import Article, Revision

from .conftest import change_url, form_data, make_article
from .imagefiles import SVG, bomb, camera_jpeg, image_file, truncated_jpeg, upload

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
    assert (article.image_width, article.image_height) == (1000, 1600)  # turned upright
    assert article.image_renditions and article.image_caption == "Marrakech."

    thumbnail = images.thumbnail(article.image_renditions)
    listing = client.get(LIST_URL).content.decode()
    assert f'<img class="list-thumbnail" src="{settings.MEDIA_URL}{thumbnail["name"]}"' in listing

    form = client.get(change_url(article)).content.decode()
    assert "Afbeelding" in form and 'class="image-preview"' in form
    assert f'src="{settings.MEDIA_URL}{thumbnail["name"]}"' in form
    assert "Uitsnede voor de voorpagina" in form
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
    assert not Article.objects.exists()
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


def test_clearing_the_image_removes_it_and_its_files(
    client, final_editor, django_capture_on_commit_callbacks
):
    article = make_article()
    article.image, article.image_alt = upload(image_file(size=(600, 400))), ALT
    article.save()
    client.force_login(final_editor)
    data = form_data(article, **{"image-clear": "on", "image_alt": ""})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert not article.image and article.image_renditions == []
    assert media_files() == set()


def test_replacing_the_image_in_the_form_deletes_the_old_files(
    client, final_editor, django_capture_on_commit_callbacks
):
    article = make_article()
    article.image, article.image_alt = upload(image_file(size=(600, 400))), ALT
    article.save()
    old = media_files()
    client.force_login(final_editor)
    data = form_data(article, image=upload(image_file("PNG", size=(500, 500)), "nieuw.png"))
    data["image_alt"] = ALT
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.image.name.endswith(".png")
    assert not old & media_files()
    assert media_files() == {article.image.name, *(r["name"] for r in article.image_renditions)}


def test_revisions_keep_the_image_and_its_texts(client, final_editor):
    client.force_login(final_editor)
    data = form_data(image=upload(image_file(size=(600, 400))), image_alt=ALT)
    client.post(ADD_URL, data)
    article = Article.objects.get()
    revision = Revision.objects.filter(article_id=article.pk).first()
    assert revision.data["image"] == article.image.name
    assert revision.data["image_alt"] == ALT


def test_restoring_a_revision_without_image_keeps_it_and_says_so(client, final_editor):
    article = make_article(title="Eerst zonder")
    old = revisions.record(article)
    article.image, article.image_alt = upload(image_file(size=(600, 400))), ALT
    article.save()
    client.force_login(final_editor)
    url = f"/admin/news/article/{article.pk}/revisies/{old.pk}/herstellen/"
    page = client.post(url, follow=True).content.decode()
    assert "De huidige afbeelding is gebleven." in page
    article.refresh_from_db()
    assert article.image and article.image_renditions
