"""Demo data for the fictional municipality of Egeå, loaded by `manage.py load_demo`.

Everything here is invented: the municipality, its neighbourhoods, streets, people and organisations.
Plain data only; the command validates sectors, themes and resource kinds against the models.
"""

from typing import Any

MUNICIPALITY: dict[str, str] = {"code": "0999", "name": "Egeå", "region": "Region Syddanmark"}

PASSWORD = "samskab-demo"

# Centre of each neighbourhood (latitude, longitude); the actors below sit close to their centre.
NEIGHBOURHOODS: dict[str, tuple[float, float]] = {
    "Egeå Midtby": (55.4000, 10.3830),
    "Nørreby": (55.4135, 10.3760),
    "Østerby": (55.4030, 10.4010),
    "Havnekvarteret": (55.4085, 10.3935),
    "Skovparken": (55.3880, 10.3640),
}

# The test personas from the brief. Everyone shares PASSWORD.
PERSONAS: list[dict[str, str]] = [
    {
        "key": "mette",
        "email": "mette@egeaa.demo",
        "name": "Mette Kjærgaard",
        "role": "Samskabelseskonsulent, Center for Samskabelse",
    },
    {
        "key": "lars",
        "email": "lars@egeaa.demo",
        "name": "Lars Brandt",
        "role": "Formand for Nørreby Boldklub",
    },
    {
        "key": "sofie",
        "email": "sofie@egeaa.demo",
        "name": "Sofie Andersen",
        "role": "Borger og mor i Nørreby",
    },
    {
        "key": "jens",
        "email": "jens@egeaa.demo",
        "name": "Jens Jensen",
        "role": "Købmand, Købmand Jensen i Nørreby",
    },
    {
        "key": "anne",
        "email": "anne@egeaa.demo",
        "name": "Anne Lindholm",
        "role": "Skoleleder, Nørreby Skole",
    },
    {
        "key": "omar",
        "email": "omar@egeaa.demo",
        "name": "Omar Haddad",
        "role": "Lærer, Nørreby Skole",
    },
    {
        "key": "karin",
        "email": "karin@egeaa.demo",
        "name": "Karin Vestergaard",
        "role": "Kommunaldirektør, Egeå Kommune",
    },
    {
        "key": "camilla",
        "email": "camilla.soerensen@egeaa.demo",
        "name": "Camilla Sørensen",
        "role": "Lærer, Nørreby Skole (kollega: kun skolens egen proces)",
    },
]

# Persona emails that are municipal administrators of the demo municipality (may create municipal actors).
MUNICIPAL_ADMINISTRATORS: list[str] = ["mette@egeaa.demo"]

# Everyone else who logs in: the contact people behind the other actors, and Anne's staff.
OTHER_PEOPLE: list[dict[str, str]] = [
    {"email": "peter.lund@egeaa.demo", "name": "Peter Lund"},
    {"email": "birgitte.holm@egeaa.demo", "name": "Birgitte Holm"},
    {"email": "morten.riis@egeaa.demo", "name": "Morten Riis"},
    {"email": "signe.bruun@egeaa.demo", "name": "Signe Bruun"},
    {"email": "rasmus.winther@egeaa.demo", "name": "Rasmus Winther"},
    {"email": "maria.thomsen@egeaa.demo", "name": "Maria Thomsen"},
    {"email": "ali.demir@egeaa.demo", "name": "Ali Demir"},
    {"email": "susanne.krogh@egeaa.demo", "name": "Susanne Krogh"},
    {"email": "nadia.petersen@egeaa.demo", "name": "Nadia Petersen"},
    {"email": "jakob.lauridsen@egeaa.demo", "name": "Jakob Lauridsen"},
    {"email": "hanne.mortensen@egeaa.demo", "name": "Hanne Mortensen"},
    {"email": "poul.erik.nygaard@egeaa.demo", "name": "Poul Erik Nygaard"},
    {"email": "inger.dam@egeaa.demo", "name": "Inger Dam"},
    {"email": "vagn.toft@egeaa.demo", "name": "Vagn Toft"},
    {"email": "birthe.skov@egeaa.demo", "name": "Birthe Skov"},
    {"email": "kristian.juhl@egeaa.demo", "name": "Kristian Juhl"},
    {"email": "amina.yusuf@egeaa.demo", "name": "Amina Yusuf"},
    {"email": "claus.bjerre@egeaa.demo", "name": "Claus Bjerre"},
    {"email": "tove.lind@egeaa.demo", "name": "Tove Lind"},
    {"email": "mikkel.storm@egeaa.demo", "name": "Mikkel Storm"},
    {"email": "lene.krag@egeaa.demo", "name": "Lene Krag"},
    {"email": "kenneth.holt@egeaa.demo", "name": "Kenneth Holt"},
    {"email": "jette.falk@egeaa.demo", "name": "Jette Falk"},
    {"email": "kirsten.bak@egeaa.demo", "name": "Kirsten Bak"},
    {"email": "soeren.hvid@egeaa.demo", "name": "Søren Hvid"},
    {"email": "julie.westh@egeaa.demo", "name": "Julie Westh"},
    {"email": "bo.andreasen@egeaa.demo", "name": "Bo Andreasen"},
    {"email": "eva.lyng@egeaa.demo", "name": "Eva Lyng"},
    {"email": "daniel.ravn@egeaa.demo", "name": "Daniel Ravn"},
    {"email": "line.krogsgaard@egeaa.demo", "name": "Line Krogsgaard"},
    {"email": "niels.bach@egeaa.demo", "name": "Niels Bach"},
    {"email": "ahmad.rahimi@egeaa.demo", "name": "Ahmad Rahimi"},
    {"email": "grethe.nielsen@egeaa.demo", "name": "Grethe Nielsen"},
    {"email": "mads.kristensen@egeaa.demo", "name": "Mads Kristensen"},
    {"email": "fatima.elsayed@egeaa.demo", "name": "Fatima El-Sayed"},
    {"email": "henrik.poulsen@egeaa.demo", "name": "Henrik Poulsen"},
    {"email": "lise.berg@egeaa.demo", "name": "Lise Berg"},
    {"email": "jonas.friis@egeaa.demo", "name": "Jonas Friis"},
    # Staff at Nørreby Skole, who take part in Anne's employee involvement.
    {"email": "thomas.bech@egeaa.demo", "name": "Thomas Bech"},
    {"email": "louise.vinther@egeaa.demo", "name": "Louise Vinther"},
    {"email": "kasper.dahl@egeaa.demo", "name": "Kasper Dahl"},
]

ALL_PUBLIC = ["address", "contact_email", "contact_phone", "website", "members"]
ORGANISATION_PUBLIC = ["address", "contact_email", "contact_phone", "website"]

# Actors as the municipality's register import made them: nobody administers them until someone who belongs to
# them takes the profile over (`actors.claims`); their contact details stay private, as an import keeps them.
FROM_THE_REGISTER: list[dict[str, Any]] = [
    {
        "key": "skakklub",
        "sector": "association",
        "name": "Egeå Skakklub",
        "neighbourhood": "Nørreby",
        "address": "Nørregade 12, 5999 Egeå",
        "latitude": 55.4133,
        "longitude": 10.3761,
        "contact_email": "skak@egeaa.demo",
        "themes": ["frivillighed", "boern-unge"],
        "description": "Skakklub for alle aldre. Klubaften hver tirsdag kl. 19 i medborgerhuset.",
    },
    {
        "key": "cykelvaerksted",
        "sector": "business",
        "name": "Nørreby Cykelværksted ApS",
        "neighbourhood": "Nørreby",
        "address": "Stationsvej 8, 5999 Egeå",
        "latitude": 55.4118,
        "longitude": 10.3785,
        "contact_email": "",
        "themes": ["miljoe"],
        "description": "Reparation og salg af cykler.",
    },
]

# Each actor: `key` (stable; stored as external_id "demo-<key>"), `admin` (email of its first administrator),
# optional `members` (emails with the member role), `colleagues` (emails with the colleague role), resources and
# needs. Municipal actors are created by a municipal administrator and then handed over to their own administrator.
ACTORS: list[dict[str, Any]] = [
    # --- Municipality -------------------------------------------------------------------------------------
    {
        "key": "center",
        "sector": "municipality",
        "name": "Egeå Kommune – Center for Samskabelse",
        "neighbourhood": "Egeå Midtby",
        "address": "Rådhuspladsen 1, 5999 Egeå",
        "latitude": 55.4003,
        "longitude": 10.3834,
        "contact_email": "samskabelse@egeaa.demo",
        "contact_phone": "+45 99 99 10 00",
        "website": "https://egeaa.demo/samskabelse",
        "public_fields": ALL_PUBLIC,
        "themes": ["frivillighed", "boligomraade"],
        "description": (
            "Vi hjælper kommunen, foreningerne, borgerne og virksomhederne i Egeå med at løse lokale "
            "udfordringer sammen. Vi faciliterer partnerskaber, finder frem til de lokale kræfter og samler "
            "op på, hvad samarbejdet fører til. Vi kommer ikke med de færdige løsninger – vi skaber "
            "rammerne, så de kan opstå i fællesskab."
        ),
        "admin": "mette@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Procesfacilitering af partnerskaber",
                "description": "Planlægning og ledelse af møder, workshops og dialogmøder med mange parter.",
                "quantity": 6,
                "unit": "timer om ugen",
                "availability": "Hverdage efter aftale",
            },
            {
                "kind": "premises",
                "title": "Mødelokaler på rådhuset",
                "description": "Tre mødelokaler med skærm og whiteboard, plads til op til 25 personer.",
                "quantity": 3,
                "unit": "lokaler",
                "availability": "Hverdage 8-16 og tirsdag aften",
            },
            {
                "kind": "funding",
                "title": "Samskabelsespuljen",
                "description": ("Midler til at prøve nye idéer af i partnerskaber. Kort ansøgning, hurtigt svar."),
                "quantity": 250000,
                "unit": "kr. om året",
                "availability": "Løbende ansøgning",
            },
        ],
        "needs": [
            {
                "kind": "network",
                "description": "Kontakt til borgere og foreninger, som kommunen sjældent møder.",
            },
        ],
    },
    {
        "key": "direktion",
        "sector": "municipality",
        "name": "Egeå Kommune – Direktionen",
        "neighbourhood": "Egeå Midtby",
        "address": "Rådhuspladsen 1, 5999 Egeå",
        "latitude": 55.4005,
        "longitude": 10.3829,
        "contact_email": "direktionen@egeaa.demo",
        "contact_phone": "+45 99 99 10 01",
        "website": "https://egeaa.demo/direktionen",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["frivillighed", "sundhed"],
        "description": (
            "Kommunens direktion følger, hvordan samarbejdet med civilsamfundet udvikler sig på tværs af "
            "forvaltningerne – hvilke partnerskaber der findes, hvem der er med, og om den sociale kapital "
            "vokser."
        ),
        "admin": "karin@egeaa.demo",
        "resources": [
            {
                "kind": "network",
                "title": "Adgang til kommunens fagforvaltninger",
                "description": "Vi kan åbne døre i forvaltningerne, når et partnerskab har brug for det.",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
            {
                "kind": "expertise",
                "title": "Sparring om politisk forankring",
                "description": "Hjælp til at fremlægge resultater for udvalg og byråd.",
                "quantity": 2,
                "unit": "timer om måneden",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {
                "kind": "expertise",
                "description": "Viden fra lokalområderne om, hvad der faktisk virker i praksis.",
            },
        ],
    },
    {
        "key": "noerreby-skole",
        "sector": "municipality",
        "name": "Nørreby Skole",
        "neighbourhood": "Nørreby",
        "address": "Skolevej 10, 5999 Egeå",
        "latitude": 55.4148,
        "longitude": 10.3742,
        "contact_email": "noerrebyskole@egeaa.demo",
        "contact_phone": "+45 99 99 20 00",
        "website": "https://noerrebyskole.egeaa.demo",
        "public_fields": ALL_PUBLIC,
        "themes": ["skole", "boern-unge"],
        "description": (
            "Folkeskole med 620 elever fra 0. til 9. klasse og en stor SFO. Vi vil gerne åbne skolen mere op "
            "for lokalsamfundet – både i undervisningen og efter skoletid."
        ),
        "admin": "anne@egeaa.demo",
        "members": ["omar@egeaa.demo"],
        # Teachers who take part in the school's own process, not for the school in its partnerships.
        "colleagues": [
            "camilla.soerensen@egeaa.demo",
            "thomas.bech@egeaa.demo",
            "louise.vinther@egeaa.demo",
            "kasper.dahl@egeaa.demo",
        ],
        "resources": [
            {
                "kind": "premises",
                "title": "Gymnastiksal og skolekøkken efter kl. 17",
                "description": "Kan lånes af foreninger og grupper, der laver noget for børn og unge.",
                "quantity": 2,
                "unit": "lokaler",
                "availability": "Hverdage efter kl. 17",
            },
            {
                "kind": "expertise",
                "title": "Lærere med erfaring i trivsel og klasseledelse",
                "description": "Sparring til trænere og frivillige, der arbejder med større børn og unge.",
                "quantity": 4,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
            {
                "kind": "equipment",
                "title": "Udstyr til udeskole",
                "description": "Trangiaer, lupper, kasser med naturudstyr og 30 siddeunderlag.",
                "quantity": None,
                "unit": "",
                "availability": "Kan lånes i weekenden",
            },
        ],
        "needs": [
            {
                "kind": "volunteer_hours",
                "description": "Voksne, der vil være med i lektiecaféen to eftermiddage om ugen.",
            },
            {
                "kind": "jobs",
                "description": "Virksomheder, der vil tage elever i erhvervspraktik i 8. klasse.",
            },
        ],
    },
    {
        "key": "solgaarden",
        "sector": "municipality",
        "name": "Ældrecenter Solgården",
        "neighbourhood": "Østerby",
        "address": "Solvej 4, 5999 Egeå",
        "latitude": 55.4042,
        "longitude": 10.4031,
        "contact_email": "solgaarden@egeaa.demo",
        "contact_phone": "+45 99 99 30 00",
        "website": "https://egeaa.demo/solgaarden",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["aeldre", "ensomhed", "sundhed"],
        "description": (
            "Plejecenter med 48 boliger og et aktivitetscenter, der også er åbent for ældre, som bor i eget "
            "hjem i Østerby. Vi vil gerne have mere liv ind ad døren og flere af beboerne ud i byen."
        ),
        "admin": "birgitte.holm@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Cafeen i aktivitetscentret",
                "description": "Lys café med køkken og plads til 40 personer.",
                "quantity": 40,
                "unit": "pladser",
                "availability": "Hverdage 14-17 og efter aftale",
            },
            {
                "kind": "expertise",
                "title": "Aktivitetsmedarbejdere med viden om demens",
                "description": "Vi lærer gerne frivillige, hvordan man er sammen med mennesker med demens.",
                "quantity": 3,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {
                "kind": "volunteer_hours",
                "description": "Besøgsvenner og frivillige til gåture og højtlæsning.",
            },
            {"kind": "equipment", "description": "En cykeltaxa, så beboerne kan komme en tur ud i byen."},
        ],
    },
    {
        "key": "bufo",
        "sector": "municipality",
        "name": "Børne- og Ungeforvaltningen",
        "neighbourhood": "Egeå Midtby",
        "address": "Rådhuspladsen 1, 5999 Egeå",
        "latitude": 55.3998,
        "longitude": 10.3838,
        "contact_email": "boernogunge@egeaa.demo",
        "contact_phone": "+45 99 99 10 20",
        "website": "https://egeaa.demo/boern-og-unge",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["boern-unge", "skole"],
        "description": (
            "Forvaltningen har ansvaret for dagtilbud, skoler, fritidsklubber og støtte til børn og unge og "
            "deres familier i hele Egeå Kommune."
        ),
        "admin": "peter.lund@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Konsulenter med viden om børn og unges trivsel",
                "description": "Sparring om trivselsdata, forebyggelse og samarbejde med familier.",
                "quantity": 5,
                "unit": "timer om ugen",
                "availability": "Hverdage",
            },
            {
                "kind": "funding",
                "title": "Fritidspas til børn og unge",
                "description": "Betaler kontingent og udstyr, så alle børn kan gå til en fritidsaktivitet.",
                "quantity": 150,
                "unit": "fritidspas om året",
                "availability": "Hele året",
            },
        ],
        "needs": [
            {"kind": "network", "description": "Foreninger, der vil tage godt imod børn med fritidspas."},
        ],
    },
    {
        "key": "oesterby-skole",
        "sector": "municipality",
        "name": "Østerby Skole",
        "neighbourhood": "Østerby",
        "address": "Engvej 22, 5999 Egeå",
        "latitude": 55.4018,
        "longitude": 10.3992,
        "contact_email": "oesterbyskole@egeaa.demo",
        "contact_phone": "+45 99 99 21 00",
        "website": "https://oesterbyskole.egeaa.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["skole", "integration"],
        "description": (
            "Mindre folkeskole fra 0. til 6. klasse med mange tosprogede elever og et tæt samarbejde med forældrene."
        ),
        "admin": "morten.riis@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Skolens aula til arrangementer",
                "description": "Plads til 120 personer, med scene og køkken ved siden af.",
                "quantity": 120,
                "unit": "pladser",
                "availability": "Weekender efter aftale",
            },
            {
                "kind": "expertise",
                "title": "Dansk som andetsprog",
                "description": "Lærere, der kan rådgive frivillige om sprogstøtte til børn og forældre.",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {
                "kind": "volunteer_hours",
                "description": "Frivillige, der vil læse med børnene i indskolingen.",
            },
        ],
    },
    {
        "key": "bibliotek",
        "sector": "municipality",
        "name": "Egeå Bibliotek og Kulturhus",
        "neighbourhood": "Havnekvarteret",
        "address": "Kajgaden 2, 5999 Egeå",
        "latitude": 55.4079,
        "longitude": 10.3921,
        "contact_email": "bibliotek@egeaa.demo",
        "contact_phone": "+45 99 99 40 00",
        "website": "https://bibliotek.egeaa.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["kultur", "ensomhed", "integration"],
        "description": (
            "Byens bibliotek og kulturhus ved havnen: bøger, borgerservice, arrangementer og lokaler, som "
            "foreninger og grupper kan låne gratis."
        ),
        "admin": "signe.bruun@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Gratis mødelokaler for foreninger",
                "description": "Fire lokaler af forskellig størrelse, selvbetjent med sundhedskort.",
                "quantity": 4,
                "unit": "lokaler",
                "availability": "Alle dage 8-22",
            },
            {
                "kind": "equipment",
                "title": "Projektor, højttalere og mobil scene",
                "description": "Kan lånes til arrangementer i byen.",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
            {
                "kind": "expertise",
                "title": "Digital hjælp",
                "description": "Hjælp til MitID, e-Boks og videoopkald til familien.",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Torsdag 10-12",
            },
        ],
        "needs": [
            {"kind": "volunteer_hours", "description": "Frivillige til sprogcaféen og den digitale hjælp."},
        ],
    },
    {
        "key": "ssp",
        "sector": "municipality",
        "name": "SSP og gadeplan Egeå",
        "neighbourhood": "Nørreby",
        "address": "Stationsvej 3, 5999 Egeå",
        "latitude": 55.4121,
        "longitude": 10.3779,
        "contact_email": "ssp@egeaa.demo",
        "contact_phone": "+45 99 99 22 00",
        "website": "",
        "public_fields": ["contact_email", "contact_phone"],
        "themes": ["tryghed", "boern-unge"],
        "description": (
            "Samarbejdet mellem skole, socialforvaltning og politi. Vores gadeplansmedarbejdere er ude om "
            "aftenen og kender de unge i byens kvarterer."
        ),
        "admin": "rasmus.winther@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Gadeplansmedarbejdere om aftenen",
                "description": "Erfarne medarbejdere, der kender de unge og deres familier.",
                "quantity": 12,
                "unit": "timer om ugen",
                "availability": "Tirsdag-lørdag 18-23",
            },
            {
                "kind": "network",
                "title": "Kontakt til lokalbetjenten og de boligsociale medarbejdere",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "",
            },
        ],
        "needs": [
            {
                "kind": "premises",
                "description": "Et sted, hvor de unge kan være om aftenen – især om vinteren.",
            },
        ],
    },
    {
        "key": "sundhed",
        "sector": "municipality",
        "name": "Sundhed og Forebyggelse",
        "neighbourhood": "Egeå Midtby",
        "address": "Algade 30, 5999 Egeå",
        "latitude": 55.4011,
        "longitude": 10.3851,
        "contact_email": "sundhed@egeaa.demo",
        "contact_phone": "+45 99 99 50 00",
        "website": "https://egeaa.demo/sundhed",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["sundhed", "psykisk-saarbarhed"],
        "description": (
            "Vi arbejder med forebyggelse, rygestop, mental sundhed og fællesskaber, der holder folk i gang."
        ),
        "admin": "maria.thomsen@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Kursus i mental førstehjælp for frivillige",
                "description": "Et aftenkursus om at spotte mistrivsel og tage den svære samtale.",
                "quantity": 4,
                "unit": "kurser om året",
                "availability": "Forår og efterår",
            },
            {
                "kind": "funding",
                "title": "Puljen til sunde fællesskaber",
                "description": "Støtte til aktiviteter, der får inaktive borgere i gang sammen med andre.",
                "quantity": 100000,
                "unit": "kr. om året",
                "availability": "Ansøgningsfrist 1. marts og 1. september",
            },
        ],
        "needs": [
            {
                "kind": "network",
                "description": "Foreninger, der vil lave bevægelse for borgere, der sjældent motionerer.",
            },
        ],
    },
    {
        "key": "klubben",
        "sector": "municipality",
        "name": "Egeå Ungdomsskole – Klubben Skovparken",
        "neighbourhood": "Skovparken",
        "address": "Lærkevej 3, 5999 Egeå",
        "latitude": 55.3893,
        "longitude": 10.3627,
        "contact_email": "klubben@egeaa.demo",
        "contact_phone": "+45 99 99 23 00",
        "website": "https://ungdomsskolen.egeaa.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["boern-unge", "kultur"],
        "description": (
            "Fritids- og ungdomsklub for 10-18-årige med værksted, musiklokale og e-sport. Aftenåbent fire "
            "dage om ugen."
        ),
        "admin": "ali.demir@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Musiklokale og værksted",
                "description": "Kan bruges af andre grupper, når klubben ikke selv har brug for dem.",
                "quantity": 2,
                "unit": "lokaler",
                "availability": "Fredag og lørdag",
            },
            {
                "kind": "expertise",
                "title": "Klubpædagoger med kendskab til de unge",
                "description": "",
                "quantity": 6,
                "unit": "timer om ugen",
                "availability": "Mandag-torsdag 15-21",
            },
        ],
        "needs": [
            {"kind": "equipment", "description": "Brugte computere til e-sport og lektier."},
            {"kind": "jobs", "description": "Fritidsjob til de ældste klubmedlemmer."},
        ],
    },
    {
        "key": "jobcenter",
        "sector": "municipality",
        "name": "Jobcenter Egeå",
        "neighbourhood": "Egeå Midtby",
        "address": "Banegårdsvej 8, 5999 Egeå",
        "latitude": 55.3987,
        "longitude": 10.3815,
        "contact_email": "jobcenter@egeaa.demo",
        "contact_phone": "+45 99 99 60 00",
        "website": "https://egeaa.demo/jobcenter",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["beskaeftigelse", "integration"],
        "description": (
            "Vi hjælper ledige i job og uddannelse og samarbejder med virksomhederne om praktik, løntilskud "
            "og mentorer."
        ),
        "admin": "susanne.krogh@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Virksomhedskonsulenter",
                "description": "Hjælp til at finde den rette kandidat og til papirarbejdet.",
                "quantity": 10,
                "unit": "timer om ugen",
                "availability": "Hverdage",
            },
            {
                "kind": "funding",
                "title": "Mentorordninger og løntilskud",
                "description": "Økonomisk støtte til virksomheder, der giver ledige en chance.",
                "quantity": None,
                "unit": "",
                "availability": "Efter reglerne",
            },
        ],
        "needs": [
            {
                "kind": "jobs",
                "description": "Virksomheder, der vil give ledige en blid start på arbejdsmarkedet.",
            },
        ],
    },
    {
        "key": "egebladet",
        "sector": "municipality",
        "name": "Børnehuset Egebladet",
        "neighbourhood": "Skovparken",
        "address": "Egeløkke 14, 5999 Egeå",
        "latitude": 55.3871,
        "longitude": 10.3655,
        "contact_email": "egebladet@egeaa.demo",
        "contact_phone": "+45 99 99 24 00",
        "website": "",
        "public_fields": ["address", "contact_email", "contact_phone"],
        "themes": ["boern-unge", "integration"],
        "description": ("Vuggestue og børnehave med 90 børn midt i Skovparken. Vi arbejder meget med sprog og leg."),
        "admin": "nadia.petersen@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Legepladsen i weekenden",
                "description": "Åben for kvarterets familier lørdag og søndag.",
                "quantity": None,
                "unit": "",
                "availability": "Lørdag og søndag 9-17",
            },
            {
                "kind": "expertise",
                "title": "Sprogpædagog",
                "description": "Råd om sprogstimulering til forældre og frivillige.",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {
                "kind": "volunteer_hours",
                "description": "Bedsteforældre-frivillige, der vil læse højt for børnene.",
            },
        ],
    },
    {
        "key": "natur-miljoe",
        "sector": "municipality",
        "name": "Egeå Kommune – Natur og Miljø",
        "neighbourhood": "Egeå Midtby",
        "address": "Rådhuspladsen 1, 5999 Egeå",
        "latitude": 55.4002,
        "longitude": 10.3842,
        "contact_email": "natur@egeaa.demo",
        "contact_phone": "+45 99 99 70 00",
        "website": "https://egeaa.demo/natur",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["miljoe"],
        "description": ("Vi passer kommunens natur, parker og vandløb – og vil gerne gøre det sammen med borgerne."),
        "admin": "jakob.lauridsen@egeaa.demo",
        "resources": [
            {
                "kind": "equipment",
                "title": "Udstyr til affaldsindsamling",
                "description": "Griber, sække og handsker – hentes på genbrugspladsen.",
                "quantity": 50,
                "unit": "sæt",
                "availability": "Hele året",
            },
            {
                "kind": "expertise",
                "title": "Naturvejleder",
                "description": "Ture og undervisning om naturen ved Egeå.",
                "quantity": 4,
                "unit": "timer om ugen",
                "availability": "April-oktober",
            },
            {
                "kind": "funding",
                "title": "Den grønne pulje",
                "description": "Støtte til lokale natur- og miljøprojekter.",
                "quantity": 75000,
                "unit": "kr. om året",
                "availability": "Løbende ansøgning",
            },
        ],
        "needs": [
            {"kind": "volunteer_hours", "description": "Frivillige naturplejere til engene langs åen."},
        ],
    },
    # --- Associations -------------------------------------------------------------------------------------
    {
        "key": "noerreby-boldklub",
        "sector": "association",
        "name": "Nørreby Boldklub",
        "neighbourhood": "Nørreby",
        "address": "Stadionvej 5, 5999 Egeå",
        "latitude": 55.4159,
        "longitude": 10.3781,
        "contact_email": "formand@noerrebyboldklub.demo",
        "contact_phone": "+45 99 98 10 10",
        "website": "https://noerrebyboldklub.demo",
        "public_fields": ALL_PUBLIC,
        "themes": ["idraet", "boern-unge", "frivillighed"],
        "description": (
            "Fodboldklub med 450 medlemmer fra mikrofodbold til oldboys. Vi vil gerne have flere af "
            "kvarterets unge med – også dem, der ikke er vant til at gå til noget."
        ),
        "admin": "lars@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Hallen tirsdag aften",
                "description": "Klubbens halvdel af Nørrebyhallen, som vi gerne deler med andre.",
                "quantity": 3,
                "unit": "timer om ugen",
                "availability": "Tirsdag 19-22",
            },
            {
                "kind": "volunteer_hours",
                "title": "Trænere til åbne træninger",
                "description": "Erfarne ungdomstrænere, der kan stå for fodbold for alle uden tilmelding.",
                "quantity": 4,
                "unit": "timer om ugen",
                "availability": "Fra august",
            },
            {
                "kind": "equipment",
                "title": "Bolde, kegler og overtrækstrøjer",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "Kan lånes efter aftale",
            },
            {
                "kind": "premises",
                "title": "Klubhuset",
                "description": "Klubhus med køkken og plads til 30.",
                "quantity": 30,
                "unit": "pladser",
                "availability": "Hverdage før kl. 16",
            },
        ],
        "needs": [
            {"kind": "funding", "description": "Tilskud til kontingent for børn fra familier med få penge."},
            {"kind": "volunteer_hours", "description": "Flere voksne trænere til ungdomsholdene."},
        ],
    },
    {
        "key": "beboerforeningen-skovparken",
        "sector": "association",
        "name": "Beboerforeningen Skovparken",
        "neighbourhood": "Skovparken",
        "address": "Skovparken 1, st., 5999 Egeå",
        "latitude": 55.3884,
        "longitude": 10.3645,
        "contact_email": "beboerforeningen@skovparken.demo",
        "contact_phone": "+45 99 98 20 20",
        "website": "",
        "public_fields": ["address", "contact_email", "members"],
        "themes": ["boligomraade", "integration", "tryghed"],
        "description": (
            "Beboerforeningen for de 600 lejligheder i Skovparken. Vi holder fællesspisning og gårdfester og "
            "tager beboernes ønsker med til boligselskabet."
        ),
        "admin": "hanne.mortensen@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Beboerhuset",
                "description": "Fælleshus med stort køkken og plads til 60.",
                "quantity": 60,
                "unit": "pladser",
                "availability": "Alle dage efter aftale",
            },
            {
                "kind": "network",
                "title": "Kontakt til familierne i Skovparken",
                "description": "Vi kender mange af familierne og kan invitere dem personligt.",
                "quantity": None,
                "unit": "",
                "availability": "",
            },
            {
                "kind": "volunteer_hours",
                "title": "Frivillige til fællesspisning",
                "description": "",
                "quantity": 6,
                "unit": "timer om ugen",
                "availability": "Torsdag aften",
            },
        ],
        "needs": [
            {
                "kind": "expertise",
                "description": "Hjælp til at søge fonde til aktiviteter for kvarterets unge.",
            },
        ],
    },
    {
        "key": "seniorforeningen-oesterby",
        "sector": "association",
        "name": "Seniorforeningen Østerby",
        "neighbourhood": "Østerby",
        "address": "Kirkestien 3, 5999 Egeå",
        "latitude": 55.4036,
        "longitude": 10.4004,
        "contact_email": "senior.oesterby@egeaa.demo",
        "contact_phone": "+45 99 98 30 30",
        "website": "",
        "public_fields": ["contact_email", "contact_phone"],
        "themes": ["aeldre", "ensomhed"],
        "description": (
            "Forening for seniorer i Østerby med 320 medlemmer. Vi arrangerer udflugter, foredrag og en "
            "telefonkæde for dem, der sidder meget alene."
        ),
        "admin": "poul.erik.nygaard@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Frivillige til telefonkæden",
                "description": "Medlemmer, der ringer til ældre, som bor alene.",
                "quantity": 10,
                "unit": "timer om ugen",
                "availability": "Hverdage formiddag",
            },
            {
                "kind": "network",
                "title": "Medlemmernes netværk",
                "description": "320 seniorer i Østerby, der kender deres naboer.",
                "quantity": None,
                "unit": "",
                "availability": "",
            },
        ],
        "needs": [
            {"kind": "premises", "description": "Et lokale til ugentlig formiddagskaffe."},
        ],
    },
    {
        "key": "oesterby-kirke",
        "sector": "association",
        "name": "Frivilliggruppen ved Østerby Kirke",
        "neighbourhood": "Østerby",
        "address": "Kirkestien 1, 5999 Egeå",
        "latitude": 55.4039,
        "longitude": 10.3998,
        "contact_email": "frivillige@oesterbykirke.demo",
        "contact_phone": "+45 99 98 40 40",
        "website": "https://oesterbykirke.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["ensomhed", "frivillighed", "aeldre"],
        "description": (
            "Kirkens frivillige står for besøgstjeneste, sorggrupper og fællesspisning i sognegården. Alle "
            "er velkomne, uanset tro."
        ),
        "admin": "inger.dam@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Sognegården",
                "description": "Sal med køkken og plads til 80.",
                "quantity": 80,
                "unit": "pladser",
                "availability": "Hverdage efter aftale",
            },
            {
                "kind": "volunteer_hours",
                "title": "Besøgstjenesten",
                "description": "Faste besøgsvenner, der kommer hver uge.",
                "quantity": 8,
                "unit": "timer om ugen",
                "availability": "Hverdage",
            },
        ],
        "needs": [
            {
                "kind": "volunteer_hours",
                "description": "Yngre frivillige, der kan køre ældre til arrangementer.",
            },
        ],
    },
    {
        "key": "oesterby-gaaklub",
        "sector": "association",
        "name": "Østerby Gåklub",
        "neighbourhood": "Østerby",
        "address": "Rosenhaven 9, 5999 Egeå",
        "latitude": 55.4021,
        "longitude": 10.4037,
        "contact_email": "gaaklub@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": ["contact_email"],
        "themes": ["sundhed", "aeldre", "idraet"],
        "description": ("Vi går sammen i roligt tempo to gange om ugen og slutter af med kaffe. Ingen tilmelding."),
        "admin": "vagn.toft@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Gåturs-værter",
                "description": "Værter, der tager imod nye og sørger for, at ingen går alene.",
                "quantity": 4,
                "unit": "timer om ugen",
                "availability": "Mandag og torsdag kl. 10",
            },
        ],
        "needs": [
            {
                "kind": "network",
                "description": "Kontakt til ældre, der sidder alene derhjemme og gerne vil ud.",
            },
        ],
    },
    {
        "key": "lektiecafe-noerreby",
        "sector": "association",
        "name": "Lektiecafé Nørreby",
        "neighbourhood": "Nørreby",
        "address": "Nørregade 40, 5999 Egeå",
        "latitude": 55.4129,
        "longitude": 10.3748,
        "contact_email": "lektiecafe@egeaa.demo",
        "contact_phone": "+45 99 98 50 50",
        "website": "",
        "public_fields": ["address", "contact_email", "contact_phone"],
        "themes": ["skole", "boern-unge", "frivillighed"],
        "description": "Frivillige hjælper børn og unge med lektierne – med kage, tålmodighed og godt humør.",
        "admin": "birthe.skov@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Lektiehjælpere",
                "description": "Pensionerede lærere, studerende og forældre.",
                "quantity": 12,
                "unit": "timer om ugen",
                "availability": "Mandag og onsdag 15-17",
            },
        ],
        "needs": [
            {"kind": "premises", "description": "Et større lokale om onsdagen, hvor vi kan være 30."},
        ],
    },
    {
        "key": "spejdergruppe",
        "sector": "association",
        "name": "1. Egeå Spejdergruppe",
        "neighbourhood": "Skovparken",
        "address": "Egeløkke 40, 5999 Egeå",
        "latitude": 55.3862,
        "longitude": 10.3618,
        "contact_email": "spejder@egeaa.demo",
        "contact_phone": "+45 99 98 60 60",
        "website": "https://spejder-egeaa.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["boern-unge", "miljoe"],
        "description": "Spejdergruppe for børn og unge fra 6 til 17 år med hytte og bålplads i skovkanten.",
        "admin": "kristian.juhl@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Spejderhytten og bålpladsen",
                "description": "Hytte med 20 sovepladser og overdækket bålplads.",
                "quantity": 20,
                "unit": "sovepladser",
                "availability": "Weekender, når vi ikke selv bruger den",
            },
            {
                "kind": "expertise",
                "title": "Ledere med friluftserfaring",
                "description": "Bål, knob, kano og førstehjælp.",
                "quantity": 3,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {"kind": "volunteer_hours", "description": "Flere voksne ledere til de yngste spejdere."},
        ],
    },
    {
        "key": "kvindenetvaerket",
        "sector": "association",
        "name": "Kvindenetværket i Skovparken",
        "neighbourhood": "Skovparken",
        "address": "Skovparken 1, st., 5999 Egeå",
        "latitude": 55.3886,
        "longitude": 10.3650,
        "contact_email": "kvindenetvaerket@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": ["contact_email"],
        "themes": ["integration", "beskaeftigelse", "ensomhed"],
        "description": (
            "Et netværk af kvinder fra 14 lande, der mødes hver uge til sprog, madlavning og snak om job, "
            "skole og hverdag i Danmark."
        ),
        "admin": "amina.yusuf@egeaa.demo",
        "resources": [
            {
                "kind": "network",
                "title": "Netværk af 70 kvinder fra 14 lande",
                "description": "",
                "quantity": 70,
                "unit": "kvinder",
                "availability": "",
            },
            {
                "kind": "volunteer_hours",
                "title": "Tolkning og brobygning",
                "description": "Arabisk, somali, tigrinya, dari og ukrainsk.",
                "quantity": 5,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {"kind": "jobs", "description": "Praktikpladser til kvinder, der vil i arbejde."},
            {"kind": "expertise", "description": "Hjælp til CV og forberedelse til jobsamtaler."},
        ],
    },
    {
        "key": "nattevandrerne",
        "sector": "association",
        "name": "Nattevandrerne i Nørreby",
        "neighbourhood": "Nørreby",
        "address": "Nørregade 40, 5999 Egeå",
        "latitude": 55.4127,
        "longitude": 10.3771,
        "contact_email": "nattevandrerne@egeaa.demo",
        "contact_phone": "+45 99 98 70 70",
        "website": "",
        "public_fields": ["contact_email", "contact_phone"],
        "themes": ["tryghed", "boern-unge", "frivillighed"],
        "description": ("Voksne frivillige, der går rundt i Nørreby fredag og lørdag aften og er der for de unge."),
        "admin": "claus.bjerre@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Nattevandring fredag og lørdag",
                "description": "Hold på tre voksne i gule veste.",
                "quantity": 16,
                "unit": "timer om ugen",
                "availability": "Fredag og lørdag 21-01",
            },
        ],
        "needs": [
            {"kind": "volunteer_hours", "description": "Flere forældre, der vil gå med en aften om måneden."},
        ],
    },
    {
        "key": "naturfaellesskab",
        "sector": "association",
        "name": "Egeå Naturfællesskab",
        "neighbourhood": "Havnekvarteret",
        "address": "Toldbodvej 2, 5999 Egeå",
        "latitude": 55.4093,
        "longitude": 10.3948,
        "contact_email": "natur@egeaa-naturfaellesskab.demo",
        "contact_phone": "",
        "website": "https://egeaa-naturfaellesskab.demo",
        "public_fields": ["contact_email", "website"],
        "themes": ["miljoe", "frivillighed"],
        "description": "Vi samler affald, sår blomster til bierne og passer engene ved åens udløb.",
        "admin": "tove.lind@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Affaldsindsamling ved åen og havnen",
                "description": "",
                "quantity": 6,
                "unit": "timer om måneden",
                "availability": "Første lørdag i måneden",
            },
            {
                "kind": "expertise",
                "title": "Viden om vilde blomster og biodiversitet",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {"kind": "funding", "description": "Penge til frøblandinger og redskaber."},
        ],
    },
    {
        "key": "kulturhavnen",
        "sector": "association",
        "name": "Foreningen Kulturhavnen",
        "neighbourhood": "Havnekvarteret",
        "address": "Bådebroen 3, 5999 Egeå",
        "latitude": 55.4097,
        "longitude": 10.3929,
        "contact_email": "kulturhavnen@egeaa.demo",
        "contact_phone": "+45 99 98 80 80",
        "website": "https://kulturhavnen.demo",
        "public_fields": ALL_PUBLIC,
        "themes": ["kultur", "boligomraade"],
        "description": "Vi driver det gamle pakhus på havnen med koncerter, loppemarkeder og sommerbio.",
        "admin": "mikkel.storm@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Pakhuset ved kajen",
                "description": "Stor sal med scene og plads til 150 stående.",
                "quantity": 150,
                "unit": "pladser",
                "availability": "Hverdage efter aftale",
            },
            {
                "kind": "equipment",
                "title": "Lyd- og lysanlæg",
                "description": "Med frivillig tekniker.",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
            {
                "kind": "volunteer_hours",
                "title": "Frivillige til arrangementer",
                "description": "",
                "quantity": 20,
                "unit": "timer om måneden",
                "availability": "Weekender",
            },
        ],
        "needs": [
            {"kind": "network", "description": "Kontakt til unge, der vil lave musik og arrangementer."},
        ],
    },
    {
        "key": "midtby-gymnastik",
        "sector": "association",
        "name": "Midtbyens Gymnastikforening",
        "neighbourhood": "Egeå Midtby",
        "address": "Hallvej 4, 5999 Egeå",
        "latitude": 55.3979,
        "longitude": 10.3860,
        "contact_email": "gymnastik@egeaa.demo",
        "contact_phone": "+45 99 98 90 90",
        "website": "https://midtbygymnastik.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["idraet", "sundhed", "boern-unge"],
        "description": ("Gymnastik for alle aldre: forældre-barn, springhold, dansefitness og seniorgymnastik."),
        "admin": "lene.krag@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Instruktører til seniorgymnastik",
                "description": "",
                "quantity": 3,
                "unit": "timer om ugen",
                "availability": "Tirsdag og fredag formiddag",
            },
            {
                "kind": "equipment",
                "title": "Måtter og redskaber",
                "description": "Kan lånes til arrangementer.",
                "quantity": None,
                "unit": "",
                "availability": "Weekender",
            },
        ],
        "needs": [
            {"kind": "volunteer_hours", "description": "Flere instruktører til børneholdene."},
        ],
    },
    {
        "key": "bokseklub",
        "sector": "association",
        "name": "Skovparken Bokseklub",
        "neighbourhood": "Skovparken",
        "address": "Skovparken 22, kælderen, 5999 Egeå",
        "latitude": 55.3877,
        "longitude": 10.3662,
        "contact_email": "boksning@skovparken.demo",
        "contact_phone": "+45 99 97 10 10",
        "website": "",
        "public_fields": ["address", "contact_email", "contact_phone"],
        "themes": ["idraet", "boern-unge", "tryghed"],
        "description": (
            "Bokseklub med fokus på disciplin, respekt og fællesskab. Mange af vores unge har ikke gået til noget før."
        ),
        "admin": "kenneth.holt@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Bokselokalet i kælderen",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "Hverdage 16-21",
            },
            {
                "kind": "volunteer_hours",
                "title": "Trænere, som de unge har tillid til",
                "description": "",
                "quantity": 8,
                "unit": "timer om ugen",
                "availability": "Hverdage",
            },
        ],
        "needs": [
            {"kind": "funding", "description": "Nye handsker og sandsække."},
        ],
    },
    {
        "key": "handicapidraet",
        "sector": "association",
        "name": "Egeå Handicapidræt",
        "neighbourhood": "Egeå Midtby",
        "address": "Hallvej 4, 5999 Egeå",
        "latitude": 55.3976,
        "longitude": 10.3866,
        "contact_email": "handicapidraet@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": ["contact_email"],
        "themes": ["handicap", "idraet"],
        "description": "Idræt for børn og voksne med handicap: boccia, svømning og kørestolsbasket.",
        "admin": "jette.falk@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Viden om tilpasset idræt",
                "description": "Vi hjælper gerne andre klubber med at tage imod mennesker med handicap.",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {"kind": "premises", "description": "En handicapvenlig hal lørdag formiddag."},
        ],
    },
    # --- Businesses ---------------------------------------------------------------------------------------
    {
        "key": "koebmand-jensen",
        "sector": "business",
        "name": "Købmand Jensen i Nørreby",
        "neighbourhood": "Nørreby",
        "address": "Nørregade 12, 5999 Egeå",
        "latitude": 55.4138,
        "longitude": 10.3765,
        "contact_email": "koebmand.jensen@egeaa.demo",
        "contact_phone": "+45 99 96 10 10",
        "website": "https://koebmandjensen.demo",
        "public_fields": ALL_PUBLIC,
        "themes": ["beskaeftigelse", "boern-unge", "boligomraade"],
        "description": (
            "Kvarterets købmand siden 1962, nu i tredje generation. Vi kender de fleste, der kommer i "
            "butikken – også de unge, der hænger ud foran om aftenen."
        ),
        "admin": "jens@egeaa.demo",
        "resources": [
            {
                "kind": "jobs",
                "title": "Fritidsjob til unge over 15",
                "description": "Vareopfyldning og kasse, med en fast voksen som mentor.",
                "quantity": 4,
                "unit": "fritidsjob",
                "availability": "Løbende",
            },
            {
                "kind": "premises",
                "title": "Mødelokale bag butikken",
                "description": "Hyggeligt lokale med kaffemaskine og plads til 12.",
                "quantity": 12,
                "unit": "pladser",
                "availability": "Hverdage efter kl. 18",
            },
            {
                "kind": "funding",
                "title": "Varer til fællesarrangementer",
                "description": "Frugt, brød og drikkevarer til arrangementer i kvarteret.",
                "quantity": 2000,
                "unit": "kr. om måneden",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {
                "kind": "network",
                "description": "Kontakt til unge, der mangler et fritidsjob og en voksen at spørge.",
            },
        ],
    },
    {
        "key": "oesterby-bageri",
        "sector": "business",
        "name": "Østerby Bageri",
        "neighbourhood": "Østerby",
        "address": "Østergade 18, 5999 Egeå",
        "latitude": 55.4026,
        "longitude": 10.3989,
        "contact_email": "bageriet@egeaa.demo",
        "contact_phone": "+45 99 96 20 20",
        "website": "",
        "public_fields": ["address", "contact_email", "contact_phone"],
        "themes": ["ensomhed", "beskaeftigelse"],
        "description": (
            "Familiebageri med caféborde. Mange ældre kommer her hver dag – for nogle er det dagens eneste snak."
        ),
        "admin": "kirsten.bak@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Caféhjørnet om eftermiddagen",
                "description": "Seks borde, hvor man kan mødes over en kop kaffe.",
                "quantity": 16,
                "unit": "pladser",
                "availability": "Hverdage 14-17",
            },
            {
                "kind": "jobs",
                "title": "Elevplads som bager",
                "description": "",
                "quantity": 1,
                "unit": "elevplads",
                "availability": "Fra august",
            },
        ],
        "needs": [],
    },
    {
        "key": "baadevaerft",
        "sector": "business",
        "name": "Havnens Bådeværft ApS",
        "neighbourhood": "Havnekvarteret",
        "address": "Toldbodvej 9, 5999 Egeå",
        "latitude": 55.4101,
        "longitude": 10.3957,
        "contact_email": "vaerftet@egeaa.demo",
        "contact_phone": "+45 99 96 30 30",
        "website": "https://havnensbaadevaerft.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["beskaeftigelse", "boern-unge"],
        "description": (
            "Vi bygger og reparerer træbåde og tager gerne unge med, der har lyst til at arbejde med hænderne."
        ),
        "admin": "soeren.hvid@egeaa.demo",
        "resources": [
            {
                "kind": "jobs",
                "title": "Praktik for unge, der er gået i stå",
                "description": "Fire uger på værftet med en fast mester ved siden af.",
                "quantity": 2,
                "unit": "praktikpladser",
                "availability": "Hele året",
            },
            {
                "kind": "expertise",
                "title": "Bådebyggere, der kan lære fra sig",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {"kind": "network", "description": "Unge, der har lyst til at prøve et håndværk."},
        ],
    },
    {
        "key": "cafe-kajen",
        "sector": "business",
        "name": "Café Kajen",
        "neighbourhood": "Havnekvarteret",
        "address": "Havnegade 4, 5999 Egeå",
        "latitude": 55.4083,
        "longitude": 10.3940,
        "contact_email": "hej@cafekajen.demo",
        "contact_phone": "+45 99 96 40 40",
        "website": "https://cafekajen.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["kultur", "beskaeftigelse"],
        "description": (
            "Café ved havnen med udsigt over bådene. Mandag er vores lukkedag, og så låner vi gerne caféen ud."
        ),
        "admin": "julie.westh@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Caféen mandag aften",
                "description": "Plads til 40 ved borde.",
                "quantity": 40,
                "unit": "pladser",
                "availability": "Mandag 17-22",
            },
            {
                "kind": "jobs",
                "title": "Weekendjob i caféen",
                "description": "",
                "quantity": 3,
                "unit": "fritidsjob",
                "availability": "Sommerhalvåret",
            },
        ],
        "needs": [],
    },
    {
        "key": "toemrer",
        "sector": "business",
        "name": "Egeå Tømrer og Snedker A/S",
        "neighbourhood": "Skovparken",
        "address": "Industrivej 7, 5999 Egeå",
        "latitude": 55.3899,
        "longitude": 10.3603,
        "contact_email": "kontakt@egeaatoemrer.demo",
        "contact_phone": "+45 99 96 50 50",
        "website": "https://egeaatoemrer.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["beskaeftigelse"],
        "description": "Lokal tømrervirksomhed med 25 ansatte og fire lærlinge.",
        "admin": "bo.andreasen@egeaa.demo",
        "resources": [
            {
                "kind": "jobs",
                "title": "Lærepladser",
                "description": "",
                "quantity": 2,
                "unit": "lærepladser",
                "availability": "Fra august",
            },
            {
                "kind": "equipment",
                "title": "Værktøj og overskudstræ",
                "description": "Til bænke, højbede og andre byggeprojekter i lokalområdet.",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
            {
                "kind": "volunteer_hours",
                "title": "Medarbejdernes frivillige dag",
                "description": "Hele firmaet bygger noget for lokalsamfundet én dag om året.",
                "quantity": 200,
                "unit": "timer om året",
                "availability": "September",
            },
        ],
        "needs": [],
    },
    {
        "key": "midtby-apotek",
        "sector": "business",
        "name": "Midtby Apotek",
        "neighbourhood": "Egeå Midtby",
        "address": "Algade 12, 5999 Egeå",
        "latitude": 55.4008,
        "longitude": 10.3822,
        "contact_email": "apoteket@egeaa.demo",
        "contact_phone": "+45 99 96 60 60",
        "website": "",
        "public_fields": ["address", "contact_phone"],
        "themes": ["sundhed", "aeldre"],
        "description": (
            "Apotek i gågaden. Vi møder mange ældre, der bor alene, og vil gerne kunne henvise dem videre."
        ),
        "admin": "eva.lyng@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Medicinsamtaler for ældre",
                "description": "En farmaceut gennemgår medicinen og svarer på spørgsmål.",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Onsdag formiddag",
            },
        ],
        "needs": [
            {
                "kind": "network",
                "description": "Overblik over fællesskaber, vi kan henvise ensomme kunder til.",
            },
        ],
    },
    {
        "key": "fitnesshuset",
        "sector": "business",
        "name": "Fitnesshuset Midtby",
        "neighbourhood": "Egeå Midtby",
        "address": "Banegårdsvej 20, 5999 Egeå",
        "latitude": 55.3992,
        "longitude": 10.3801,
        "contact_email": "info@fitnesshuset.demo",
        "contact_phone": "+45 99 96 70 70",
        "website": "https://fitnesshuset.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["idraet", "sundhed"],
        "description": (
            "Fitnesscenter med holdsal. Vi vil gerne nå dem, der aldrig ville gå ind ad døren af sig selv."
        ),
        "admin": "daniel.ravn@egeaa.demo",
        "resources": [
            {
                "kind": "premises",
                "title": "Holdsalen søndag formiddag",
                "description": "",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Søndag 9-11",
            },
            {
                "kind": "expertise",
                "title": "Instruktører til nybegyndere og seniorer",
                "description": "",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Efter aftale",
            },
        ],
        "needs": [
            {
                "kind": "network",
                "description": "Kontakt til borgere, der ikke tør starte i et fitnesscenter.",
            },
        ],
    },
    {
        "key": "krogsgaard-revision",
        "sector": "business",
        "name": "Krogsgaard Revision",
        "neighbourhood": "Egeå Midtby",
        "address": "Torvet 3, 5999 Egeå",
        "latitude": 55.4014,
        "longitude": 10.3826,
        "contact_email": "kontor@krogsgaardrevision.demo",
        "contact_phone": "+45 99 96 80 80",
        "website": "https://krogsgaardrevision.demo",
        "public_fields": ORGANISATION_PUBLIC,
        "themes": ["frivillighed"],
        "description": "Revisionsfirma med hjerte for foreningslivet.",
        "admin": "line.krogsgaard@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Gratis regnskabshjælp til foreninger",
                "description": "Hjælp til regnskab, budget og fondsansøgninger.",
                "quantity": 3,
                "unit": "timer om måneden",
                "availability": "Efter aftale",
            },
        ],
        "needs": [],
    },
    {
        "key": "cykelvaerkstedet",
        "sector": "business",
        "name": "Cykelværkstedet i Østerby",
        "neighbourhood": "Østerby",
        "address": "Østergade 31, 5999 Egeå",
        "latitude": 55.4033,
        "longitude": 10.4022,
        "contact_email": "cykler@egeaa.demo",
        "contact_phone": "+45 99 96 90 90",
        "website": "",
        "public_fields": ["address", "contact_email", "contact_phone"],
        "themes": ["miljoe", "integration"],
        "description": ("Cykelforhandler og værksted. Vi sætter gamle cykler i stand i stedet for at smide dem ud."),
        "admin": "niels.bach@egeaa.demo",
        "resources": [
            {
                "kind": "equipment",
                "title": "Istandsatte brugte cykler",
                "description": "Til nyankomne familier og unge uden cykel.",
                "quantity": 10,
                "unit": "cykler om året",
                "availability": "Forår",
            },
            {
                "kind": "expertise",
                "title": "Cykelværksted for børn og unge",
                "description": "Lær at lappe og justere din egen cykel.",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Onsdag 16-18",
            },
        ],
        "needs": [],
    },
    # --- Citizens -----------------------------------------------------------------------------------------
    {
        "key": "sofie-andersen",
        "sector": "citizen",
        "name": "Sofie Andersen",
        "neighbourhood": "Nørreby",
        "address": "Kastanievej, 5999 Egeå",
        "latitude": 55.4144,
        "longitude": 10.3772,
        "contact_email": "sofie@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": ["contact_email"],
        "themes": ["boern-unge", "tryghed", "frivillighed"],
        "description": (
            "Mor til to i Nørreby. Jeg vil gerne være med til at give kvarterets unge noget bedre at tage "
            "sig til om aftenen – og jeg tror, at vi voksne i kvarteret kan mere, end vi tror."
        ),
        "admin": "sofie@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "To timer om ugen",
                "description": ("Jeg kan hjælpe til ved aktiviteter for de unge eller lave mad til fællesspisning."),
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Tirsdag eller torsdag aften",
            },
        ],
        "needs": [],
    },
    {
        "key": "ahmad-rahimi",
        "sector": "citizen",
        "name": "Ahmad Rahimi",
        "neighbourhood": "Skovparken",
        "address": "Skovparken, 5999 Egeå",
        "latitude": 55.3889,
        "longitude": 10.3633,
        "contact_email": "ahmad.rahimi@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": [],
        "themes": ["integration", "beskaeftigelse"],
        "description": (
            "Kom til Egeå for tolv år siden og kører bus. Jeg hjælper gerne nyankomne familier med at finde "
            "rundt i systemet."
        ),
        "admin": "ahmad.rahimi@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Hjælp til nyankomne familier",
                "description": "",
                "quantity": 3,
                "unit": "timer om ugen",
                "availability": "Weekender",
            },
            {
                "kind": "expertise",
                "title": "Tolkning på dari og persisk",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
        ],
        "needs": [],
    },
    {
        "key": "grethe-nielsen",
        "sector": "citizen",
        "name": "Grethe Nielsen",
        "neighbourhood": "Østerby",
        "address": "Engvej, 5999 Egeå",
        "latitude": 55.4024,
        "longitude": 10.4017,
        "contact_email": "grethe.nielsen@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": [],
        "themes": ["aeldre", "ensomhed"],
        "description": (
            "Pensioneret sygeplejerske og enke. Jeg ved, hvor lange dagene kan blive, og vil gerne gøre "
            "noget for andre, der sidder alene."
        ),
        "admin": "grethe.nielsen@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Besøg og gåture",
                "description": "",
                "quantity": 4,
                "unit": "timer om ugen",
                "availability": "Hverdage",
            },
            {
                "kind": "expertise",
                "title": "Sygeplejefaglig viden",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "",
            },
        ],
        "needs": [],
    },
    {
        "key": "mads-kristensen",
        "sector": "citizen",
        "name": "Mads Kristensen",
        "neighbourhood": "Havnekvarteret",
        "address": "Havnegade, 5999 Egeå",
        "latitude": 55.4089,
        "longitude": 10.3926,
        "contact_email": "mads.kristensen@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": ["contact_email"],
        "themes": ["miljoe", "kultur"],
        "description": (
            "Studerende og nyt ansigt i Havnekvarteret. Jeg vil gerne have en renere havn og mere liv om aftenen."
        ),
        "admin": "mads.kristensen@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Affaldsindsamling og arrangementer",
                "description": "",
                "quantity": 3,
                "unit": "timer om ugen",
                "availability": "Weekender",
            },
            {
                "kind": "expertise",
                "title": "Video og sociale medier",
                "description": "Jeg kan filme og fortælle om det, vi laver.",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
        ],
        "needs": [],
    },
    {
        "key": "fatima-el-sayed",
        "sector": "citizen",
        "name": "Fatima El-Sayed",
        "neighbourhood": "Skovparken",
        "address": "Lærkevej, 5999 Egeå",
        "latitude": 55.3869,
        "longitude": 10.3629,
        "contact_email": "fatima.elsayed@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": [],
        "themes": ["integration", "boern-unge"],
        "description": "Læser til lærer og bor i Skovparken med min familie.",
        "admin": "fatima.elsayed@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Lektiehjælp på arabisk og dansk",
                "description": "",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Onsdag eftermiddag",
            },
        ],
        "needs": [],
    },
    {
        "key": "henrik-poulsen",
        "sector": "citizen",
        "name": "Henrik Poulsen",
        "neighbourhood": "Egeå Midtby",
        "address": "Biblioteksgade, 5999 Egeå",
        "latitude": 55.4019,
        "longitude": 10.3812,
        "contact_email": "henrik.poulsen@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": [],
        "themes": ["frivillighed", "boern-unge"],
        "description": (
            "Pensioneret tømrer med tid og værktøj. Jeg bygger gerne bænke, skure og hvad der ellers mangler."
        ),
        "admin": "henrik.poulsen@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Tømrerarbejde og reparationer",
                "description": "",
                "quantity": 5,
                "unit": "timer om ugen",
                "availability": "Hverdage",
            },
            {
                "kind": "equipment",
                "title": "Eget værktøj og trailer",
                "description": "",
                "quantity": None,
                "unit": "",
                "availability": "Efter aftale",
            },
        ],
        "needs": [],
    },
    {
        "key": "lise-berg",
        "sector": "citizen",
        "name": "Lise Berg",
        "neighbourhood": "Nørreby",
        "address": "Bøgealle, 5999 Egeå",
        "latitude": 55.4152,
        "longitude": 10.3755,
        "contact_email": "lise.berg@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": [],
        "themes": ["kultur", "ensomhed"],
        "description": "Musiklærer og korleder. Fællessang er det bedste middel mod ensomhed, jeg kender.",
        "admin": "lise.berg@egeaa.demo",
        "resources": [
            {
                "kind": "expertise",
                "title": "Korledelse og fællessang",
                "description": "",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Hverdage aften",
            },
        ],
        "needs": [
            {"kind": "premises", "description": "Et lokale med klaver, hvor et åbent kor kan øve."},
        ],
    },
    {
        "key": "jonas-friis",
        "sector": "citizen",
        "name": "Jonas Friis",
        "neighbourhood": "Østerby",
        "address": "Østergade, 5999 Egeå",
        "latitude": 55.4015,
        "longitude": 10.4003,
        "contact_email": "jonas.friis@egeaa.demo",
        "contact_phone": "",
        "website": "",
        "public_fields": [],
        "themes": ["idraet", "boern-unge"],
        "description": (
            "19 år og elev som elektriker. Jeg har selv hængt ud på gaden og ved, hvad en god træner betyder."
        ),
        "admin": "jonas.friis@egeaa.demo",
        "resources": [
            {
                "kind": "volunteer_hours",
                "title": "Hjælpetræner for de yngste",
                "description": "",
                "quantity": 2,
                "unit": "timer om ugen",
                "availability": "Mandag og onsdag",
            },
        ],
        "needs": [],
    },
]

# Challenges: raised by `raised_by` (actor key) through its administrator.
CHALLENGES: list[dict[str, Any]] = [
    {
        "key": "gadehjoerner",
        "title": "Unge samles på gadehjørnerne i Nørreby om aftenen",
        "description": (
            "Hver aften står en gruppe unge på 14-18 år ved busstoppestedet og foran købmanden på Nørregade. "
            "Nogle naboer bliver utrygge, og der har været hærværk. Men jeg tror ikke, de unge er problemet "
            "– de har bare ingen steder at være, hvor de har lyst til at være."
        ),
        "place": "Nørreby, omkring Nørregade og Stationsvej",
        "affected": "De unge selv, deres forældre, naboerne og de handlende på Nørregade.",
        "themes": ["boern-unge", "tryghed"],
        "raised_by": "sofie-andersen",
    },
    {
        "key": "ensomhed",
        "title": "Ensomhed blandt ældre i Østerby",
        "description": (
            "Mange af vores medlemmer fortæller om naboer, der næsten ikke kommer ud. Nogle har mistet en "
            "ægtefælle, andre kan ikke længere køre bil. Tilbuddene findes, men de ældre, der har mest brug "
            "for dem, kommer ikke."
        ),
        "place": "Østerby",
        "affected": "Ældre, der bor alene, og deres pårørende.",
        "themes": ["aeldre", "ensomhed"],
        "raised_by": "seniorforeningen-oesterby",
    },
    {
        "key": "havnepromenaden",
        "title": "Affald og hærværk langs havnepromenaden",
        "description": (
            "Efter varme weekender flyder promenaden med flasker og engangsgrill, og to af bænkene er blevet "
            "smadret. Det er ærgerligt, for havnen er byens bedste sted."
        ),
        "place": "Havnekvarteret",
        "affected": "Alle, der bruger havnen – og fuglene i åens udløb.",
        "themes": ["miljoe", "tryghed"],
        "raised_by": "mads-kristensen",
    },
    {
        "key": "kvinder-job",
        "title": "Nyankomne kvinder i Skovparken har svært ved at komme i job",
        "description": (
            "Mange af kvinderne i vores netværk vil gerne arbejde, men mangler sprog, netværk og en første "
            "erfaring fra en dansk arbejdsplads."
        ),
        "place": "Skovparken",
        "affected": "Kvinder, der er kommet til Danmark inden for de seneste år, og deres familier.",
        "themes": ["integration", "beskaeftigelse"],
        "raised_by": "kvindenetvaerket",
    },
    {
        "key": "traenere",
        "title": "For få voksne trænere til børneholdene",
        "description": (
            "Vi har venteliste på tre børnehold, fordi vi mangler voksne, der vil stå for træningen. Det "
            "gælder også andre foreninger i byen."
        ),
        "place": "Egeå Midtby",
        "affected": "Børn på venteliste og foreningernes frivillige, der løber for stærkt.",
        "themes": ["idraet", "frivillighed"],
        "raised_by": "midtby-gymnastik",
    },
]

# Partnerships: started by `started_by` (actor key). `members` are invited by `invited_by` and accept;
# `pending` invitations are left unanswered. `phase` (optional) is set by `phase_by` through change_phase.
PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "title": "Fællesskaber for unge i Nørreby",
        "started_months_ago": 10,  # members join over the months since, for the network over time
        "purpose": (
            "Vi vil sammen finde ud af, hvorfor de unge samles på gadehjørnerne, og hvad der skal til, for "
            "at de får steder og fællesskaber, de selv har lyst til at være en del af. Dagsordenen er åben: "
            "de unge, forældrene, foreningerne, skolen og købmanden har alle et bud."
        ),
        "kind": "co_creation",
        "visibility": "public",
        "challenge": "gadehjoerner",
        "started_by": "center",
        "invited_by": "center",
        "message": ("Vil I være med? Vi starter med at definere problemet sammen – ingen løsning er givet på forhånd."),
        "members": [
            "sofie-andersen",
            "noerreby-boldklub",
            "beboerforeningen-skovparken",
            "noerreby-skole",
            "koebmand-jensen",
        ],
        "pending": [
            {
                "actor": "nattevandrerne",
                "message": (
                    "Jeres erfaring fra nattevandringerne vil være guld værd, når vi skal forstå aftenerne i Nørreby."
                ),
            },
        ],
    },
    {
        "title": "Færre ensomme ældre i Østerby",
        "started_months_ago": 6,  # members join over the months since, for the network over time
        "purpose": (
            "Sammen vil vi nå de ældre i Østerby, der sidder alene – også dem, der aldrig selv ville melde "
            "sig til noget. Vi leder nu efter flere, der kan bidrage med mødesteder, kørsel og besøgsvenner."
        ),
        "kind": "co_creation",
        "visibility": "public",
        "challenge": "ensomhed",
        "started_by": "seniorforeningen-oesterby",
        "invited_by": "seniorforeningen-oesterby",
        "message": "Vi vil gerne have jer med i et partnerskab om ensomhed blandt ældre i Østerby.",
        "members": [
            "solgaarden",
            "oesterby-kirke",
            "oesterby-bageri",
            "grethe-nielsen",
            "oesterby-gaaklub",
            "center",
        ],
        "pending": [
            {
                "actor": "noerreby-boldklub",
                "message": ("Kunne I tænke jer at starte gåfodbold for seniorer? Det har virket godt andre steder."),
            },
        ],
        "phase": "contributors",
        "phase_by": "solgaarden",
        "phase_note": "Vi har talt om, hvad ensomheden handler om. Nu finder vi ud af, hvem der ellers kan bidrage.",
    },
    {
        "title": "Praksisfaglighed i udskolingen på Nørreby Skole",
        "started_months_ago": 2,  # members join over the months since, for the network over time
        "purpose": (
            "Reformen er besluttet centralt, men hvordan vi gennemfører den i hverdagen, bestemmer vi i "
            "fællesskab. Alle medarbejdere kan komme med udsagn, forslag og indsigelser, og vi måler tillid "
            "og mening før og efter. Resultaterne går tilbage til alle, der har deltaget."
        ),
        "kind": "employee_involvement",
        "room_for_change": (
            "Reformens mål og timetal ligger fast. Hvordan vi tilrettelægger den praksisfaglige undervisning, "
            "samarbejder om den og bruger lokalerne, bestemmer vi selv på skolen."
        ),
        "visibility": "members",
        "challenge": None,  # an internal process needs no public challenge
        "started_by": "noerreby-skole",
        "invited_by": "noerreby-skole",
        "message": "",
        "members": [],
        "pending": [],
    },
]
