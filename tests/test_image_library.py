"""The image library: the migration of lead images into it, its admin, who may do what, the
focal point, and library images on reader pages and in feeds."""

import html
from pathlib import Path

import feedparser
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.template.loader import render_to_string

from news import images
from news.models import Article, Image
from news.tasks import make_renditions_now

from .conftest import change_url, form_data, make_article
from .imagefiles import image_file, upload
from .library import library_image, stored, with_image

SITE = "http://testserver"
LIST_URL = "/admin/news/image/"


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def image_url(image):
    return f"/admin/news/image/{image.pk}/change/"


# --- The migration of existing lead images -----------------------------------------------

BEFORE, AFTER = ("news", "0015_seo"), ("news", "0016_image_library")


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


# serialized_rollback: the rows migrations make (countries, groups, content types) are put
# back afterwards, not made again, so the next test that restores them finds none.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_lead_images_move_into_the_library_with_the_same_files_and_urls():
    try:
        old_apps = migrate(BEFORE)
        # An article as issue 6 stored it: its image's fields on the article itself.
        Path(settings.MEDIA_ROOT, "afbeeldingen/2026/01").mkdir(parents=True, exist_ok=True)
        Path(settings.MEDIA_ROOT, "afbeeldingen/2026/01/minaret-abc.jpg").write_bytes(
            image_file(size=(1600, 1000))
        )
        renditions = images.make_renditions("afbeeldingen/2026/01/minaret-abc.jpg")
        OldArticle = old_apps.get_model("news", "Article")
        common = {"lead": "Intro.", "status": "published", "version": 1}
        pictured = OldArticle.objects.create(
            title="Met foto",
            slug="met-foto",
            image="afbeeldingen/2026/01/minaret-abc.jpg",
            image_alt="Een minaret.",
            image_caption="Marrakech.",
            image_credit="Foto: ANP",
            image_width=1600,
            image_height=1000,
            image_renditions=renditions,
            **common,
        )
        plain = OldArticle.objects.create(title="Zonder", slug="zonder", **common)
        migrate(AFTER)
        (image,) = Image.objects.all()
        assert image.file.name == "afbeeldingen/2026/01/minaret-abc.jpg"
        assert image.renditions == renditions and image.renditions_status == "ready"
        assert (image.alt, image.caption, image.credit) == (
            "Een minaret.",
            "Marrakech.",
            "Foto: ANP",
        )
        assert (image.width, image.height, image.focal_x, image.focal_y) == (1600, 1000, 0.5, 0.5)
        assert image.uploaded_by is None
        article = Article.objects.get(pk=pictured.pk)
        assert article.lead_image == image and article.version == 1
        assert Article.objects.get(pk=plain.pk).lead_image is None
        # What readers and feeds name: the very same files.
        figure = render_to_string("news/includes/lead_image.html", {"article": article})
        for rendition in images.of_kind(renditions, images.FULL, "webp"):
            assert f"{settings.MEDIA_URL}{rendition['name']} {rendition['width']}w" in figure
        assert images.share(renditions, images.FULL) == {
            k: v for k, v in article.lead_image.share(images.FULL).items() if k != "url"
        }
        # Writers may upload, use and edit images; only final editors delete them.
        writer = set(
            Group.objects.get(name="Redacteur").permissions.values_list("codename", flat=True)
        )
        editor = set(
            Group.objects.get(name="Eindredacteur").permissions.values_list("codename", flat=True)
        )
        assert {"add_image", "change_image", "view_image"} <= writer
        assert "delete_image" not in writer and "delete_image" in editor
        # And back: the image's fields return onto the article.
        old_apps = migrate(BEFORE)
        back = old_apps.get_model("news", "Article").objects.get(pk=pictured.pk)
        assert back.image.name == "afbeeldingen/2026/01/minaret-abc.jpg"
        assert back.image_renditions == renditions and back.image_alt == "Een minaret."
    finally:
        call_command("migrate", verbosity=0)


# --- The library's admin ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_library_lists_and_searches_caption_credit_and_alt(client, final_editor):
    anp = library_image(alt="Een minaret.", caption="Marrakech bij nacht.", credit="Foto: ANP")
    reuters = library_image(alt="Een haven.", caption="Tanger.", credit="Foto: Reuters")
    pending = library_image(alt="Een woestijn.", ready=False)
    client.force_login(final_editor)
    listing = client.get(LIST_URL).content.decode()
    assert all(f'href="{image_url(i)}' in listing for i in (anp, reuters, pending))
    assert 'class="list-thumbnail"' in listing and "Wordt verwerkt" in listing
    for query, found in (("ANP", anp), ("Tanger", reuters), ("woestijn", pending)):
        page = client.get(LIST_URL, {"q": query}).content.decode()
        shown = {i for i in (anp, reuters, pending) if f'href="{image_url(i)}' in page}
        assert shown == {found}, query


@pytest.mark.django_db
def test_a_failed_image_shows_its_error_and_can_be_processed_again(
    client, final_editor, django_capture_on_commit_callbacks
):
    image = library_image(ready=False)
    Image.objects.filter(pk=image.pk).update(
        renditions_status="failed", renditions_error="Het bestand is weg.", renditions_attempts=4
    )
    client.force_login(final_editor)
    listing = client.get(LIST_URL).content.decode()
    assert "Mislukt" in listing and "Het bestand is weg." in listing
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(
            LIST_URL, {"action": "reprocess", "_selected_action": [image.pk]}, follow=True
        )
    assert "opnieuw verwerkt" in response.content.decode()
    image.refresh_from_db()
    assert (image.renditions_status, image.renditions_error) == ("pending", "")
    assert image.renditions_attempts == 0 and queued


@pytest.mark.django_db
def test_the_change_form_says_where_the_image_is_used(client, final_editor):
    image = library_image()
    lead = with_image(article=make_article(title="Als hoofdafbeelding"))
    lead.lead_image = image
    lead.save()
    body = make_article(title="In de tekst", body=f"Eerst dit.\n\n[[afbeelding:{image.pk}]]\n")
    make_article(title="Zonder deze afbeelding")
    assert set(image.usages()) == {lead, body}
    client.force_login(final_editor)
    page = client.get(image_url(image)).content.decode()
    usages = page[page.index('<ul class="image-usages">') :]
    usages = usages[: usages.index("</ul>")]
    assert f'<a href="{change_url(lead)}">Als hoofdafbeelding</a> (hoofdafbeelding)' in usages
    assert f'<a href="{change_url(body)}">In de tekst</a> (in de tekst)' in usages
    assert "Zonder deze afbeelding" not in usages


@pytest.mark.django_db
def test_an_upload_into_the_library_is_cleaned_and_records_who(
    client, writer, django_capture_on_commit_callbacks
):
    client.force_login(writer)
    data = {"file": upload(image_file(size=(900, 600)), "haven.jpg"), "alt": "Een haven."}
    data.update(caption="", credit="")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post("/admin/news/image/add/", data).status_code == 302
    image = Image.objects.get()
    assert image.uploaded_by == writer and image.renditions_status == "pending"
    assert image.file.name.startswith("afbeeldingen/") and "haven-" in image.file.name
    assert len(queued) == 1  # the worker's job, queued once the save commits
    assert make_renditions_now(image) == "ready"
    assert stored(image) == media_files()


@pytest.mark.django_db
def test_a_bad_upload_into_the_library_is_explained_in_dutch(client, writer):
    client.force_login(writer)
    data = {"file": upload(b"Geen foto.\n" * 50, "tekst.jpg"), "alt": "Mijn alt-tekst."}
    response = client.post("/admin/news/image/add/", {**data, "caption": "Mijn bijschrift."})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200 and "geen JPEG-, PNG-, WebP- of GIF" in page
    assert 'value="Mijn alt-tekst."' in page and 'value="Mijn bijschrift."' in page
    assert not Image.objects.exists() and media_files() == set()


# --- Who may do what ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_writer_edits_her_own_images_and_only_views_others(client, writer, final_editor):
    own = library_image(uploaded_by=writer)
    other = library_image(uploaded_by=final_editor, alt="Van een ander.")
    client.force_login(writer)
    data = {"alt": "Nieuwe alt-tekst.", "caption": "", "credit": "", "focal_x": 0.5, "focal_y": 0.5}
    assert client.post(image_url(own), data).status_code == 302
    own.refresh_from_db()
    assert own.alt == "Nieuwe alt-tekst."
    assert client.get(image_url(other)).status_code == 200  # to see it, not to change it
    assert client.post(image_url(other), data).status_code == 403
    other.refresh_from_db()
    assert other.alt == "Van een ander."


@pytest.mark.django_db
def test_a_writer_cannot_delete_images_not_even_by_a_forged_post(client, writer):
    used = library_image(uploaded_by=writer)
    make_article(lead_image=used)
    unused = library_image(uploaded_by=writer)
    client.force_login(writer)
    for image in (used, unused):
        assert (
            client.post(f"/admin/news/image/{image.pk}/delete/", {"post": "yes"}).status_code == 403
        )
    forged = {"action": "delete_selected", "_selected_action": [used.pk, unused.pk], "post": "yes"}
    client.post(LIST_URL, forged)
    # Someone else's image: no "Opnieuw verwerken" for her either.
    foreign = library_image(ready=False)
    Image.objects.filter(pk=foreign.pk).update(renditions_status="failed", renditions_error="x")
    client.post(LIST_URL, {"action": "reprocess", "_selected_action": [foreign.pk]})
    assert Image.objects.filter(pk__in=[used.pk, unused.pk, foreign.pk]).count() == 3
    assert Image.objects.get(pk=foreign.pk).renditions_status == "failed"


@pytest.mark.django_db
def test_an_image_in_use_is_not_deleted_and_the_editor_is_told_why(client, final_editor):
    as_lead = library_image()
    in_body = library_image()
    make_article(lead_image=as_lead, title="Met hoofdafbeelding")
    make_article(title="Met tekstafbeelding", body=f"[[afbeelding:{in_body.pk}]]")
    unused = library_image()
    client.force_login(final_editor)
    for image, title in ((as_lead, "Met hoofdafbeelding"), (in_body, "Met tekstafbeelding")):
        page = client.post(f"/admin/news/image/{image.pk}/delete/", {"post": "yes"})
        text = html.unescape(page.content.decode())
        assert page.status_code == 200 and "kan niet worden verwijderd" in text
        assert title in text
    assert Image.objects.filter(pk__in=[as_lead.pk, in_body.pk]).count() == 2
    response = client.post(f"/admin/news/image/{unused.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Image.objects.filter(pk=unused.pk).exists()


@pytest.mark.django_db
def test_deleting_an_image_in_a_body_is_refused_by_the_model_too():
    image = library_image()
    make_article(body=f"[[afbeelding:{image.pk}]]")
    with pytest.raises(Exception, match="tekst"):
        image.delete()
    assert Image.objects.filter(pk=image.pk).exists()


# --- The focal point -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_focal_point_is_saved_from_the_form_and_makes_new_crops(
    client, final_editor, django_capture_on_commit_callbacks
):
    image = library_image(image_file(size=(1600, 1000)))
    article = make_article(lead_image=image)
    touched = article.updated_at
    old_crops = {r["name"] for r in image.renditions if r["kind"] == images.CROP}
    client.force_login(final_editor)
    form = client.get(image_url(image)).content.decode()
    assert 'class="focal-point"' in form and "admin/focal-point.js" in form
    assert 'type="hidden" name="focal_x" value="0.5"' in form
    assert 'type="hidden" name="focal_y" value="0.5"' in form
    assert "<script>" not in form.replace("<script src=", "")  # CSP: no inline script
    data = {"alt": image.alt, "caption": "", "credit": "", "focal_x": "0.2", "focal_y": "0.75"}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(image_url(image), data).status_code == 302
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.2, 0.75)
    assert image.renditions_status == "pending" and queued
    article.refresh_from_db()
    assert article.updated_at > touched  # its page is made again
    assert make_renditions_now(image) == "ready"
    new_crops = {r["name"] for r in image.renditions if r["kind"] == images.CROP}
    assert new_crops and not new_crops & old_crops  # new files under new names


@pytest.mark.django_db
@pytest.mark.parametrize("x, y", [("1.5", "0.5"), ("0.5", "-0.1"), ("links", "0.5")])
def test_a_focal_point_off_the_image_is_refused(client, final_editor, x, y):
    image = library_image()
    client.force_login(final_editor)
    data = {"alt": "Mijn alt-tekst.", "caption": "", "credit": "", "focal_x": x, "focal_y": y}
    response = client.post(image_url(image), data)
    assert response.status_code == 200 and 'value="Mijn alt-tekst."' in response.content.decode()
    image.refresh_from_db()
    assert (image.focal_x, image.focal_y) == (0.5, 0.5)


# --- On reader pages and in feeds ----------------------------------------------------------


@pytest.mark.django_db
def test_a_library_image_chosen_in_the_form_shows_on_the_page_and_in_feeds(client, final_editor):
    image = library_image(image_file(size=(1600, 1000)), caption="Uit de bibliotheek.")
    client.force_login(final_editor)
    assert (
        client.post("/admin/news/article/add/", form_data(lead_image=image.pk)).status_code == 302
    )
    article = Article.objects.get()
    assert article.lead_image == image
    client.logout()
    page = client.get(article.get_absolute_url()).content.decode()
    figure = page[page.index('<figure class="lead-image">') :]
    figure = figure[: figure.index("</figure>")]
    for rendition in images.of_kind(image.renditions, images.FULL, "jpeg"):
        assert f"{settings.MEDIA_URL}{rendition['name']} {rendition['width']}w" in figure
    assert "Uit de bibliotheek." in figure and f'alt="{image.alt}"' in figure
    share = images.share(image.renditions)
    assert f'<meta property="og:image" content="{SITE}{settings.MEDIA_URL}{share["name"]}">' in page
    full = images.share(image.renditions, images.FULL)
    (enclosure,) = feedparser.parse(client.get("/feed/").content).entries[0].enclosures
    assert enclosure.href == f"{SITE}{settings.MEDIA_URL}{full['name']}"


@pytest.mark.django_db
def test_until_its_renditions_exist_readers_get_the_cleaned_original(client):
    article = with_image(image_file(size=(1200, 800)), ready=False)
    image = article.lead_image
    assert image.renditions == [] and image.renditions_status == "pending"
    original = f"{settings.MEDIA_URL}{image.file.name}"
    figure = render_to_string("news/includes/lead_image.html", {"article": article})
    assert f'src="{original}"' in figure and 'width="1200" height="800"' in figure
    assert "srcset" not in figure  # no rendition to name, and never a broken one
    teaser = render_to_string("news/includes/teaser.html", {"article": article})
    assert f'src="{original}"' in teaser
    (enclosure,) = feedparser.parse(client.get("/feed/").content).entries[0].enclosures
    assert enclosure.href == f"{SITE}{original}" and enclosure.type == "image/jpeg"
    assert int(enclosure.length) == Path(settings.MEDIA_ROOT, image.file.name).stat().st_size
