"""Fill a database with N realistic articles: `python -m bench.fill 100000`.

Countries and topics follow a long-tailed (Zipf-like) spread, as in a real
newsroom: Marokko on many articles, most countries on few. Publication times
cover ten years up to now, in the order the articles were written.
"""

import argparse
import os
import random
from datetime import timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from tqdm import tqdm  # noqa: E402

from news.markup import render_markdown  # noqa: E402
from news.models import Article, Country, CountryTag, Topic, TopicTag  # noqa: E402

BATCH = 2000
WORDS = (
    "Marokko regering leger luchtmacht minister handel akkoord Rabat Casablanca "
    "landbouw export haven Tanger samenwerking Europa Spanje Rusland Verenigde Staten "
    "veiligheid grens economie groei water droogte toerisme energie zonne-energie "
    "onderwijs studenten rechtbank parlement verkiezingen koning delegatie bezoek"
).split()
# Prefer the countries this newsroom writes about most, then the long tail.
FAVOURITES = ["MA", "ES", "FR", "DZ", "NL", "BE", "US", "RU", "CN", "SA", "JO", "EG"]


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def zipf_cumulative(n, s=1.1):
    """Cumulative Zipf weights, for random.choices(cum_weights=...)."""
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        cumulative.append(total)
    return cumulative


def fill(n, seed=2014):
    rng = random.Random(seed)
    rank = {code: i for i, code in enumerate(FAVOURITES)}
    countries = sorted(Country.objects.all(), key=lambda c: (rank.get(c.code, len(rank)), c.code))
    topics = [Topic.objects.get_or_create(name=f"onderwerp {i}")[0] for i in range(1, 301)]
    country_weights = zipf_cumulative(len(countries))
    topic_weights = zipf_cumulative(len(topics))
    bodies = []
    for _ in range(50):
        body = "\n\n".join(sentence(rng, rng.randint(15, 40)) for _ in range(rng.randint(3, 8)))
        bodies.append((body, render_markdown(body)))
    now = timezone.now()
    span = timedelta(days=3650).total_seconds()

    start = Article.objects.count()
    with tqdm(total=n, unit="artikel", desc="Vullen") as progress:
        for offset in range(0, n, BATCH):
            size = min(BATCH, n - offset)
            articles = []
            for i in range(size):
                title = sentence(rng, rng.randint(5, 11))[:-1]
                body, body_html = bodies[rng.randrange(len(bodies))]
                primary = rng.choices(countries, cum_weights=country_weights)[0]
                articles.append(
                    Article(
                        title=title,
                        slug=slugify(title)[:200],
                        lead=sentence(rng, rng.randint(18, 45)),
                        body=body,
                        body_html=body_html,
                        country=primary,
                        byline="Redactie",
                        status=Article.Status.PUBLISHED,
                        # Written in order, as a newsroom does, with some jitter.
                        published_at=now
                        - timedelta(seconds=span * (1 - (offset + i + rng.random()) / n)),
                        version=1,
                    )
                )
            with transaction.atomic():
                created = Article.objects.bulk_create(articles)
                country_rows, topic_rows = [], []
                for article in created:
                    tagged = {article.country}
                    tagged.update(
                        rng.choices(countries, cum_weights=country_weights, k=rng.randint(0, 2))
                    )
                    country_rows += [CountryTag(content_object=article, tag=c) for c in tagged]
                    chosen = set(
                        rng.choices(topics, cum_weights=topic_weights, k=rng.randint(1, 4))
                    )
                    topic_rows += [TopicTag(content_object=article, tag=t) for t in chosen]
                CountryTag.objects.bulk_create(country_rows)
                TopicTag.objects.bulk_create(topic_rows)
            progress.update(size)
    return start + n


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=int, nargs="?", default=100_000)
    args = parser.parse_args()
    total = fill(args.articles)
    print(f"{total} articles in the database.")


if __name__ == "__main__":
    main()
