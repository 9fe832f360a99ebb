from django.contrib.auth.management import create_permissions
from django.db import migrations

WRITER = "Redacteur"
FINAL_EDITOR = "Eindredacteur"

WRITER_PERMISSIONS = [
    "add_article", "change_article", "view_article",
    "add_pinnedarticle", "change_pinnedarticle", "delete_pinnedarticle", "view_pinnedarticle",
    "view_country", "add_topic", "change_topic", "view_topic", "view_revision",
]  # fmt: skip
FINAL_EDITOR_PERMISSIONS = WRITER_PERMISSIONS + [
    "publish_article", "delete_article", "delete_topic", "view_topicalias",
]  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((WRITER, WRITER_PERMISSIONS), (FINAL_EDITOR, FINAL_EDITOR_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="news", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[WRITER, FINAL_EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0004_newsroom"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
