from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# The pure function the model's save() calls: historical models have no save() of their own.
from news.markup import render_markdown

FINAL_EDITOR = "Eindredacteur"
PAGE_PERMISSIONS = ["add_page", "change_page", "delete_page", "view_page"]

# Starter text: plain and true of the site as it is shipped; the editors make it theirs.
PAGES = [
    (
        "over-ons",
        "Over ons",
        """{site} is een Nederlandstalige nieuwssite over Marokko en de rest van de wereld.

We brengen het nieuws kort en feitelijk. Elk artikel noemt zijn datum en plaats, en de bron als we die hebben gebruikt.

Meer over wie de site maken staat in het [colofon](/colofon/).""",
    ),
    (
        "colofon",
        "Colofon",
        """## Redactie

{site} wordt gemaakt door de redactie van {site}. Artikelen zonder naam van een
schrijver zijn van de redactie ("Door Redactie").

## Bronnen

Nemen we nieuws over van een ander medium of een persbureau, dan staat die bron bij het
artikel ("Bron: ...").

## Foto's

Bij een foto staat de maker, voor zover bekend.

## Techniek

De site is gebouwd met open-source software, waaronder Django en Python.""",
    ),
    (
        "contact",
        "Contact",
        """Tips, vragen en correcties zijn welkom bij de redactie.

Ziet u een fout in een artikel? Noem het adres van het artikel en wat er niet klopt;
we verbeteren het en vermelden de correctie als die de strekking verandert.""",
    ),
    (
        "privacy",
        "Privacy",
        """{site} plaatst geen cookies bij lezers en laadt niets van andere websites: geen
advertenties, geen trackers, geen lettertypen of scripts van elders.

We vragen lezers niet om gegevens. Zoekopdrachten worden niet bewaard bij een naam of
account.

Zoals elke webserver houdt onze server korte tijd technische gegevens bij, zoals het
IP-adres en de opgevraagde pagina, om storingen en misbruik te kunnen onderzoeken.

Vragen over privacy kunt u stellen via de pagina [Contact](/contact/).""",
    ),
]


def create_pages(apps, schema_editor):
    Page = apps.get_model("news", "Page")
    for slug, title, body in PAGES:
        body = body.format(site=settings.SITE_NAME)
        Page.objects.get_or_create(
            slug=slug, defaults={"title": title, "body": body, "body_html": render_markdown(body)}
        )


def give_final_editors_pages(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    app_config = apps.get_app_config("news")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=FINAL_EDITOR)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="news", codename__in=PAGE_PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0010_place_label"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="Page",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="titel")),
                (
                    "slug",
                    models.SlugField(
                        help_text="Het webadres: /<slug>/, bijvoorbeeld 'colofon' voor /colofon/. "
                        "Wordt ingevuld op basis van de titel.",
                        max_length=100,
                        unique=True,
                        verbose_name="slug",
                    ),
                ),
                (
                    "body",
                    models.TextField(
                        help_text="Markdown: een lege regel begint een nieuwe alinea; ## Kopje, "
                        "**vet**, *cursief*, [link](https://...), - opsomming.",
                        verbose_name="tekst",
                    ),
                ),
                ("body_html", models.TextField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="bijgewerkt")),
            ],
            options={
                "verbose_name": "pagina",
                "verbose_name_plural": "pagina's",
                "ordering": ["title"],
            },
        ),
        migrations.RunPython(create_pages, migrations.RunPython.noop),
        migrations.RunPython(give_final_editors_pages, migrations.RunPython.noop),
    ]
