"""People's names a kept search phrase may not hold (the privacy rule of the usage figures).

What a citizen's or a colleague's name typed into the search box can look like, and what catches it:

- a surname that is no Dutch word ("peeters", "vandenberghe", "declercq"): `SURNAMES`, the most common
  surnames in Belgium and Flanders (Statbel's yearly lists), refused wherever they stand;
- a surname that is also an ordinary word ("bakker", "smit", "de vos", "de wilde"): `WORD_SURNAMES` are
  words an IT question never uses and are refused wherever they stand; `AMBIGUOUS_SURNAMES` ("wilde",
  "groot", "wit") are ordinary words too often, and are refused alone, after a particle ("de wit") or next
  to another name; every surname also counts glued to its particle ("devos", "vandamme", "dewilde");
- a particle with one word ("van damme", "de meyer"), or a name with an apostrophe ("d'hondt", "o'brien");
- a first name, alone or with anything (`first_names`: a first-name list from the registry plus the
  Flemish ones it lacks, without the ordinary words that happen to be names, `NOT_FIRST_NAMES`);
- a form of address ("mevrouw", "dhr", "familie").

Folded (lower case, no accents). The lists are a sieve, not a guarantee: README, "Gebruik van de site".
"""

from __future__ import annotations

import functools
import importlib.resources
import operator

from .synonyms import fold


def _ordered(text: str) -> list[str]:
    """The words of a text block: long lists read better as text than as a column of quoted strings."""
    return text.split()


def _listed(text: str) -> frozenset[str]:
    return frozenset(_ordered(text))


SURNAMES = frozenset(
    [
        "aerts",
        "baert",
        "beyens",
        "bogaerts",
        "bosmans",
        "bruneel",
        "buyse",
        "callens",
        "callewaert",
        "carpentier",
        "casteleyn",
        "ceulemans",
        "claerhout",
        "claes",
        "claessens",
        "claeys",
        "cnudde",
        "coene",
        "cools",
        "coppens",
        "cornelis",
        "cornelissen",
        "coucke",
        "cuypers",
        "daems",
        "debacker",
        "debaere",
        "deblock",
        "debruyne",
        "deckers",
        "declercq",
        "decock",
        "deconinck",
        "degraeve",
        "degroote",
        "dejonghe",
        "dekeyser",
        "delanghe",
        "deleu",
        "demeester",
        "demeulemeester",
        "demey",
        "demuynck",
        "depaepe",
        "depoorter",
        "deprez",
        "deroo",
        "deruyter",
        "deschepper",
        "desmedt",
        "desmet",
        "deswaef",
        "devlieger",
        "devolder",
        "devos",
        "devriendt",
        "devriese",
        "dewaegeneire",
        "dewaele",
        "deweerdt",
        "dewilde",
        "dewit",
        "dewitte",
        "dewulf",
        "dezutter",
        "dhaene",
        "dhaese",
        "dhondt",
        "dhooghe",
        "dhoore",
        "dierckx",
        "dierickx",
        "dubois",
        "dumont",
        "dumortier",
        "dupont",
        "everaert",
        "geerts",
        "geldof",
        "gheysen",
        "ghijs",
        "goethals",
        "goossens",
        "hanssens",
        "hendrickx",
        "hermans",
        "heylen",
        "heyvaert",
        "hoste",
        "huyghe",
        "huysmans",
        "jacobs",
        "jansen",
        "janssen",
        "janssens",
        "joos",
        "lambert",
        "lambrecht",
        "lammens",
        "laurent",
        "lauwers",
        "leclercq",
        "leenders",
        "lemaire",
        "lemmens",
        "lenaerts",
        "leroy",
        "leys",
        "lievens",
        "lybeert",
        "maenhout",
        "maertens",
        "maes",
        "mahieu",
        "martens",
        "martin",
        "mathieu",
        "meersman",
        "meeus",
        "mertens",
        "mestdagh",
        "michiels",
        "moens",
        "moerman",
        "mortier",
        "naessens",
        "neirynck",
        "noppe",
        "nys",
        "ooms",
        "opsomer",
        "pattyn",
        "pauwels",
        "peeters",
        "persoons",
        "peters",
        "pieters",
        "pype",
        "quintens",
        "raes",
        "renard",
        "roels",
        "rogiers",
        "rombaut",
        "ryckaert",
        "sabbe",
        "schepens",
        "schepers",
        "schoonjans",
        "segers",
        "seghers",
        "sels",
        "sercu",
        "simon",
        "smets",
        "soenen",
        "steenhaut",
        "sterckx",
        "stevens",
        "stroobants",
        "swinnen",
        "tack",
        "taelman",
        "thielemans",
        "thys",
        "timmermans",
        "torfs",
        "uyttendaele",
        "vaes",
        "vanacker",
        "vandaele",
        "vandamme",
        "vandecasteele",
        "vandekerckhove",
        "vandenberghe",
        "vandenbossche",
        "vandenbroeck",
        "vandenbroucke",
        "vandenbussche",
        "vandeputte",
        "vanderlinden",
        "vanderstraeten",
        "vandevelde",
        "vandewalle",
        "vandeweghe",
        "vanhaecke",
        "vanhecke",
        "vanhoucke",
        "vanhoutte",
        "vanhove",
        "vanhulle",
        "vanlandschoot",
        "vanlerberghe",
        "vanmol",
        "vanneste",
        "vannieuwenhuyse",
        "vanoverschelde",
        "vanparys",
        "vanwynsberghe",
        "verbeeck",
        "verbeke",
        "verbist",
        "verbruggen",
        "verbrugghe",
        "vercammen",
        "vercauteren",
        "vercruysse",
        "verdonck",
        "vereecken",
        "verhaeghe",
        "verhelst",
        "verheyen",
        "verhoeven",
        "verhulst",
        "verlinden",
        "vermeersch",
        "vermeire",
        "vermeiren",
        "vermeulen",
        "vermote",
        "verreycken",
        "verschaeve",
        "verschueren",
        "verstraete",
        "verstraeten",
        "vervaet",
        "vervoort",
        "vlaeminck",
        "vlaminck",
        "wauters",
        "wijnants",
        "wijns",
        "willaert",
        "willems",
        "wouters",
        "wuytack",
        "wuyts",
        "wyffels",
        "ysebaert",
    ]
)

# Surnames written apart ("de smet"): matched as a pair of consecutive words.
SURNAME_PAIRS = frozenset(
    tuple(name.split())
    for name in (
        "de smet",
        "de vos",
        "de clercq",
        "van damme",
        "de bruyne",
        "de coninck",
        "de wulf",
        "de waele",
        "van hove",
        "van houtte",
        "van acker",
        "vanden berghe",
        "den broeck",
    )
)

# Surnames that are also Dutch words, but words an IT question does not use: refused wherever they stand,
# unless the site itself uses the word (a tool or a tip title; never a coach's name).
WORD_SURNAMES = _listed(
    """
    bakker smit smet vos visser boer koning kok brouwer mulder schepper meyer cock haan decker wever wachter
    kuiper timmerman molenaar schipper jager ridder hertog graaf koster slager kramer muller vink specht valk
    bruyne bruyn witte bossche damme velde hove putte backer smedt clercq coninck keyser poorter zutter
    meulemeester paepe muynck waele wulf baere vries wolf leeuw vogel haas
    """
)
# Surnames that are ordinary words colleagues do type ("groot bestand", "wit scherm", "ik wilde"): refused
# alone, after a particle ("de wit") or next to another name ("jan groot").
AMBIGUOUS_SURNAMES = _listed(
    """
    wilde wit groot jong bos berg bosch beer hoek dijk winter zomer lange korte klein groen zwart bruin roos
    bloem mol voet hond kat vis zwaan molen broek beek veld poort kerk hoeve dam linde keizer prins geest
    """
)
# What stands before a surname ("de smet", "van den berghe", "d'hondt", "o'brien", "mc bride").
# Not "te" or "ver": "bijlage te groot" is no name.
PARTICLES = _listed("de den der van vande vanden vander ter ten le la du d o mc mac von di da del della dos das")
# Surnames written together with their particle: "desmet", "vandamme", "dewilde", "vanderhoek".
GLUED_SURNAMES = frozenset(
    particle + name
    for particle in ("de", "van", "vande", "vanden", "vander")
    for name in WORD_SURNAMES | AMBIGUOUS_SURNAMES
)
# Forms of address: a phrase holding one is about a person ("mevrouw janssens", "familie de wilde", "dhr").
HONORIFICS = _listed(
    """
    familie fam meneer mijnheer menheer mevrouw mevr mvr mw dhr juffrouw juf weduwe wed wijlen madame
    monsieur mme mlle mister mrs dokter dr
    """
)
# A form of address as two words ("de heer peeters").
HONORIFIC_PAIRS = frozenset({("de", "heer"), ("den", "heer")})

# Flemish first names the registry's list lacks (or has only below its threshold), and short ones it skips.
FIRST_NAMES = _listed(
    """
    an ann jan els jef jos rik lien fien nele lore tine tinne griet katrien koen kris wim sofie bart lies
    wannes kobe seppe staf jarne lander tuur nore mil nand warre lowie wout jelle bram ward hanne lotte
    emma louis lucas noah liam arthur jules mila olivia nina marie peter pieter stijn stefaan hilde annick
    nathalie veerle inge evelien sabine ilse anja karel filip philippe jonas ruben thomas kevin sarah
    hans frank patrick wouter jeroen dirk luc marc geert joke rita linda eline maria kim
    """
)
# Ordinary Dutch (and IT) words that the registry's list also holds as someone's first name: not a name
# here. Every other first name is, so that "sofie" or "mohamed" alone is never kept.
NOT_FIRST_NAMES = _listed(
    """
    door dan ben wil onder alle per elke wilt oude maart april mei juni juli meisje tien kent ken broer brand
    bel lieve rijk max allen koop kader toon richt lot free gooi jarig marine constant aard boy beer just
    meent trui nadien engel can anno mar angel con take age riem wiet dien kick kas peer tea pit rem mans
    flip ninja floor burg sas alien meta fleur ton dik bas job the ruby iris claude alexa jet smart beste foto
    kamer enkel los frans gent dode helder non file del lek data roman islam santa gulden sultan summer
    """
)
# The registry's list: gender-guesser's nam_dict.txt (Joerg Michael's first-name dictionary, GFDL), read as
# data. A name counts when it is in use in Belgium or the Netherlands, or common (3 of 13 or more) in one
# of the countries most Flemish colleagues and citizens come from or have names from.
# Its columns, in the order of the file's header (gender_guesser.detector.Detector.COUNTRIES).
_COLUMNS = _ordered("""
    great_britain ireland usa italy malta portugal spain france belgium luxembourg the_netherlands east_frisia
    germany austria swiss iceland denmark norway sweden finland estonia latvia lithuania poland czech_republic
    slovakia hungary romania bulgaria bosniaand croatia kosovo macedonia montenegro serbia slovenia albania
    greece russia belarus moldova ukraine armenia azerbaijan georgia the_stans turkey arabia israel china india
    japan korea vietnam other_countries
""")
_IN_USE_HERE = tuple(_COLUMNS.index(name) for name in ("belgium", "the_netherlands"))
_COMMON_ELSEWHERE = tuple(
    _COLUMNS.index(name)
    for name in _ordered(
        "great_britain usa italy portugal spain france germany poland romania albania turkey arabia other_countries"
    )
)


# A frequency is one hex digit per column (blank: not in use). Compared as characters, not parsed: the
# file has ~48,000 lines and every build that checks search phrases reads it.
_IN_USE = frozenset("123456789ABCDEFabcdef")
_AT_LEAST_THREE = frozenset("3456789ABCDEFabcdef")


@functools.cache
def first_names() -> frozenset[str]:
    """Folded first names of at least three letters (about 8,500), plus `FIRST_NAMES`, without
    `NOT_FIRST_NAMES`; loaded once per process."""
    names: set[str] = set()
    data = importlib.resources.files("gender_guesser") / "data" / "nam_dict.txt"
    width = 30 + len(_COLUMNS)
    here = operator.itemgetter(*(30 + column for column in _IN_USE_HERE))  # the characters, in C
    elsewhere = operator.itemgetter(*(30 + column for column in _COMMON_ELSEWHERE))
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "#=" or len(line) <= 30:
            continue
        padded = line.ljust(width)
        if _IN_USE.isdisjoint(here(padded)) and _AT_LEAST_THREE.isdisjoint(elsewhere(padded)):
            continue
        fields = line.split()
        if len(fields) < 2:
            continue
        for part in fields[1].split("+"):  # "Jan+Pieter": both parts are names
            folded = fold(part)
            if len(folded) >= 3 and folded.isalpha():
                names.add(folded)
    return frozenset((names | FIRST_NAMES) - NOT_FIRST_NAMES)
