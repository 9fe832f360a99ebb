"""Demo article data for the news site (pure data, no Django imports).

The first article is the seed article ("4 mei 2014 - 15:44 - Marokko");
the other ten are the articles listed under "Lees meer" in the seed, in
the seed's order. The seed's own spelling ("hzt", "Cooperetation") is
kept on purpose. For the five teasers that the seed cut off with "...",
the lead is completed briefly to the end of that sentence; the ten
articles have no body text. The seed article has a lead image, shipped in images/.
"""

SEED_DATELINE = "4 mei 2014 - 15:44 - Marokko"

SEED_TEASERS = [
    'Rusland heeft woensdag een "totale embargo" ingesteld op een groot aantal voedingsmiddelen afkomstig uit Europese en Amerikaanse landen. Spaanse landbouwers reageerden heel...',
    "De betrekkingen tussen Marokko en Rusland zijn sinds enkele weken ernstig bekoeld door het uitstel van de lancering van twee militaire satellieten door Marokko.",
    "Afgelopen maandag werden voor het eerst in Marokko vijf Spaanse F-18 gevechtsvliegtuigen ingezet tijdens een gezamenlijke militaire oefening in Meknes.",
    "Het Marokkaanse leger gaat het onderhoud en de zorg van zijn Boeing CH-47 Chinook helikopters aan de Amerikaanse groep Defense Technology Equipment toevertrouwen.",
    "In Marokko opent de Koninklijke Marineschool voor het eerst zijn deuren aan vrouwen. Marokkaanse kandidates mogen meedoen aan het toelatingsexamen.",
    "China probeert al enige tijd de Marokkaanse luchtmacht te overtuigen om haar straaljagers van het type FC-1 (Fighter china) te kopen.",
    "Marokko is de zevende Afrikaanse militaire macht volgens een ranking van Global Firepower voor het jaar 2014. Wereldwijd heeft Marokko hzt 65e machtigste leger, ver achter...",
    "Het Amerikaans leger heeft Marokko 150 militaire Hummers, schietplatformen en ander militair materieel aangeboden aan een voordelige prijs. Dat meldt het VS-agentschap Defense...",
    "De Gulf Cooperetation Council heeft aan Marokko en Jordanië voorgesteld om een militaire alliantie te vormen. Beide landen zijn strategische bondgenoten van Saoedi-Arabië,...",
    "De Marokkaanse luchtmacht heeft moderne lucht-lucht raketten gekocht bij de Amerikaanse wapenfabrikant Raytheon. De nieuwe raketten worden onder meer gebruikt op Amerikaanse...",
]

ARTICLES = [
    {
        "key": "bondarev-marrakech",
        "title": "Russische luchtmachtchef ontmoet Marokkaanse ambtgenoot in Marrakech",
        "lead": "Viktor Bondarev, baas van de Russische luchtmacht, heeft vorige week in Marrakech zijn Marokkaanse ambtgenoot Ahmed Boutaleb ontmoet.",
        "body": (
            "Volgens ChoufTv is het de eerste keer dat Marokkaanse en Russische legerverantwoordelijken elkaar ontmoeten, sinds mislukte onderhandelingen twee jaar geleden over de aankoop door Marokko van Russische helikopters."
            "\n\n"
            "De zelfde bron oordeelt dat deze meeting het bewijs is dat de twee landen hun militaire samenwerking nieuw leven willen inblazen."
            "\n\n"
            "In september heeft een delegatie van het Marokkaans leger zelfs een bezoek gepland aan Moskou. Aan dit officieel bezoek zal onder meer een Marokkaans-Russische militaire commissie deelnemen, om de samenwerking tussen de twee landen te bespreken."
        ),
        "country": "MA",
        "countries": ["MA", "RU"],
        "topics": ["Defensie", "Luchtmacht", "Diplomatie"],
        "published_at": "2014-05-04 15:44",
        "byline": "Redactie",
        "source": "ChoufTv",
        # news/demo/images/marrakech.jpg: drawn with Pillow for the demo, not a photograph.
        "image": {
            "file": "marrakech.jpg",
            "alt": "Silhouet van de minaret van de Koutoubia-moskee en palmbomen in Marrakech, "
            "met het Atlasgebergte in de avondschemering.",
            "caption": "Marrakech, waar de twee luchtmachtchefs elkaar ontmoetten.",
            "credit": "Illustratie: Marokko & Wereld",
        },
    },
    {
        "key": "rusland-embargo",
        "title": "Rusland stelt embargo in op voedingsmiddelen uit Europa en Amerika",
        "lead": 'Rusland heeft woensdag een "totale embargo" ingesteld op een groot aantal voedingsmiddelen afkomstig uit Europese en Amerikaanse landen. Spaanse landbouwers reageerden heel geschrokken op de maatregel.',
        "body": "",
        "country": "RU",
        "countries": ["RU", "ES", "US"],
        "topics": ["Handel", "Landbouw"],
        "published_at": "2014-08-07 11:20",
        "byline": "",
        "source": "",
    },
    {
        "key": "satellieten-uitstel",
        "title": "Uitstel lancering militaire satellieten bekoelt betrekkingen tussen Marokko en Rusland",
        "lead": "De betrekkingen tussen Marokko en Rusland zijn sinds enkele weken ernstig bekoeld door het uitstel van de lancering van twee militaire satellieten door Marokko.",
        "body": "",
        "country": "MA",
        "countries": ["MA", "RU"],
        "topics": ["Ruimtevaart", "Diplomatie", "Defensie"],
        "published_at": "2013-10-14 16:05",
        "byline": "",
        "source": "",
    },
    {
        "key": "spaanse-f18-meknes",
        "title": "Spaanse F-18's voor het eerst ingezet bij militaire oefening in Marokko",
        "lead": "Afgelopen maandag werden voor het eerst in Marokko vijf Spaanse F-18 gevechtsvliegtuigen ingezet tijdens een gezamenlijke militaire oefening in Meknes.",
        "body": "",
        "country": "MA",
        "countries": ["MA", "ES"],
        "topics": ["Luchtmacht", "Defensie"],
        "published_at": "2014-06-12 14:30",
        "byline": "",
        "source": "",
    },
    {
        "key": "chinook-onderhoud",
        "title": "Marokkaans leger besteedt onderhoud van Chinook-helikopters uit aan Amerikaans bedrijf",
        "lead": "Het Marokkaanse leger gaat het onderhoud en de zorg van zijn Boeing CH-47 Chinook helikopters aan de Amerikaanse groep Defense Technology Equipment toevertrouwen.",
        "body": "",
        "country": "MA",
        "countries": ["MA", "US"],
        "topics": ["Defensie", "Luchtmacht"],
        "published_at": "2013-12-03 10:45",
        "byline": "",
        "source": "",
    },
    {
        "key": "marineschool-vrouwen",
        "title": "Koninklijke Marineschool in Marokko laat voor het eerst vrouwen toe",
        "lead": "In Marokko opent de Koninklijke Marineschool voor het eerst zijn deuren aan vrouwen. Marokkaanse kandidates mogen meedoen aan het toelatingsexamen.",
        "body": "",
        "country": "MA",
        "countries": ["MA"],
        "topics": ["Marine", "Onderwijs"],
        "published_at": "2014-07-22 09:15",
        "byline": "",
        "source": "",
    },
    {
        "key": "china-fc1",
        "title": "China wil FC-1-straaljagers verkopen aan Marokkaanse luchtmacht",
        "lead": "China probeert al enige tijd de Marokkaanse luchtmacht te overtuigen om haar straaljagers van het type FC-1 (Fighter china) te kopen.",
        "body": "",
        "country": "CN",
        "countries": ["CN", "MA"],
        "topics": ["Luchtmacht", "Wapenhandel"],
        "published_at": "2013-06-19 13:50",
        "byline": "",
        "source": "",
    },
    {
        "key": "global-firepower-2014",
        "title": "Marokko zevende militaire macht van Afrika volgens Global Firepower",
        "lead": "Marokko is de zevende Afrikaanse militaire macht volgens een ranking van Global Firepower voor het jaar 2014. Wereldwijd heeft Marokko hzt 65e machtigste leger, ver achter buurland Algerije.",
        "body": "",
        "country": "MA",
        "countries": ["MA"],
        "topics": ["Defensie"],
        "published_at": "2014-02-26 12:10",
        "byline": "",
        "source": "Global Firepower",
    },
    {
        "key": "hummers-vs",
        "title": "Amerikaans leger biedt Marokko 150 Hummers en ander militair materieel aan",
        "lead": "Het Amerikaans leger heeft Marokko 150 militaire Hummers, schietplatformen en ander militair materieel aangeboden aan een voordelige prijs. Dat meldt het VS-agentschap Defense Security Cooperation Agency.",
        "body": "",
        "country": "US",
        "countries": ["US", "MA"],
        "topics": ["Wapenhandel", "Defensie"],
        "published_at": "2014-09-16 17:25",
        "byline": "",
        "source": "Defense Security Cooperation Agency",
    },
    {
        "key": "gcc-alliantie",
        "title": "Golfraad stelt Marokko en Jordanië militaire alliantie voor",
        "lead": "De Gulf Cooperetation Council heeft aan Marokko en Jordanië voorgesteld om een militaire alliantie te vormen. Beide landen zijn strategische bondgenoten van Saoedi-Arabië, voortrekker van de Golfraad.",
        "body": "",
        "country": "MA",
        "countries": ["MA", "JO", "SA"],
        "topics": ["Defensie", "Diplomatie"],
        "published_at": "2013-04-09 08:40",
        "byline": "",
        "source": "",
    },
    {
        "key": "raytheon-raketten",
        "title": "Marokkaanse luchtmacht koopt lucht-luchtraketten bij Raytheon",
        "lead": "De Marokkaanse luchtmacht heeft moderne lucht-lucht raketten gekocht bij de Amerikaanse wapenfabrikant Raytheon. De nieuwe raketten worden onder meer gebruikt op Amerikaanse F-16 gevechtsvliegtuigen.",
        "body": "",
        "country": "MA",
        "countries": ["MA", "US"],
        "topics": ["Luchtmacht", "Wapenhandel"],
        "published_at": "2014-11-05 15:00",
        "byline": "",
        "source": "",
    },
]
