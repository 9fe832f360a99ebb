"""Purge the edge cache (news/edge.py) by surrogate key: after a deploy, `purge_edge` (all
of it: the key `site`); `purge_edge a12 front` for some pages."""

from django.core.management.base import BaseCommand, CommandError

from news import edge


class Command(BaseCommand):
    help = "Purge the edge cache by surrogate key (default: site, every page)."

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", default=[edge.SITE])

    def handle(self, *args, keys, **options):
        if not edge.purging():
            raise CommandError("EDGE_PURGE is none: there is no edge to purge.")
        try:
            edge.send_purge(edge.Target.from_settings(), keys)
        except OSError as error:
            raise CommandError(f"The edge did not take the purge: {error}") from error
        self.stdout.write(f"Purged: {' '.join(keys)}")
