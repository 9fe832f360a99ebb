from django.core.management.base import BaseCommand

from news.demo.loader import load_demo
from news.models import Article


class Command(BaseCommand):
    help = "Load the demo articles (the seed article and its ten 'Lees meer' articles)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Only when there are no articles yet."
        )

    def handle(self, *args, if_empty=False, **options):
        if if_empty and Article.objects.exists():
            self.stdout.write("Articles present: demo content not loaded.")
            return
        created = load_demo()
        self.stdout.write(f"Demo content loaded: {created} new article(s).")
