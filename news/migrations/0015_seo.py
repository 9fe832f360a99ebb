from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0014_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="seo_title",
            field=models.CharField(
                blank=True,
                help_text="Optioneel. De kop in Google en bij gedeelde links; leeg: de titel. "
                "Google toont ongeveer 60 tekens.",
                max_length=70,
                verbose_name="titel voor zoekmachines",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="seo_description",
            field=models.CharField(
                blank=True,
                help_text="Optioneel. De tekst onder de kop in Google en bij gedeelde links; "
                "leeg: het begin van de intro. Google toont ongeveer 150 tekens.",
                max_length=160,
                verbose_name="beschrijving voor zoekmachines",
            ),
        ),
    ]
