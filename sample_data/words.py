"""Hand-written word lists for the sample generator (``sample_data.generator``).

Everything here is made up for the project: region centres are rounded by hand, brands and
product names are invented from patterns. Nothing is copied from the real data under ../shared.
"""

from __future__ import annotations

from typing import NamedTuple

# The tables below keep several entries per line; ruff format would put each on its own line.
# fmt: off


class Region(NamedTuple):
    centre: tuple[float, float]
    postal_prefixes: tuple[str, ...]  # first two characters of the postal code (letter + digit)
    area_codes: tuple[str, ...]


# The 17 administrative regions: an approximate centre of where people live (not the geographic
# centre, which for Nord-du-Québec or Côte-Nord is hundreds of kilometres from any town),
# the (urban) postal-code prefixes Canada Post uses there and the telephone area codes.
REGIONS: dict[str, Region] = {
    "Bas-Saint-Laurent": Region((48.1, -68.6), ("G5",), ("418",)),
    "Saguenay–Lac-Saint-Jean": Region((48.6, -71.7), ("G7", "G8"), ("418",)),
    "Capitale-Nationale": Region((47.0, -71.4), ("G1", "G2", "G3"), ("418",)),
    "Mauricie": Region((46.6, -72.75), ("G8", "G9"), ("819",)),
    "Estrie": Region((45.4, -71.9), ("J1",), ("819",)),
    "Montréal": Region((45.54, -73.64), ("H1", "H2", "H3", "H4", "H8", "H9"), ("514", "438")),
    "Outaouais": Region((45.9, -75.8), ("J8", "J9"), ("819",)),
    "Abitibi-Témiscamingue": Region((48.2, -78.5), ("J9",), ("819",)),
    "Côte-Nord": Region((49.8, -67.3), ("G4", "G5"), ("418",)),
    "Nord-du-Québec": Region((50.5, -75.5), ("G8",), ("819",)),
    "Gaspésie–Îles-de-la-Madeleine": Region((48.8, -65.3), ("G4",), ("418",)),
    "Chaudière-Appalaches": Region((46.3, -70.8), ("G6", "G5"), ("418",)),
    "Laval": Region((45.58, -73.73), ("H7",), ("450",)),
    "Lanaudière": Region((46.05, -73.5), ("J6", "J5"), ("450",)),
    "Laurentides": Region((45.85, -74.15), ("J7", "J8"), ("450",)),
    "Montérégie": Region((45.4, -73.2), ("J4", "J3", "J5", "J6"), ("450",)),
    "Centre-du-Québec": Region((46.0, -72.3), ("J2", "G6"), ("819",)),
}

# The big cities, assigned by name wherever they are.
CITY_REGIONS = {
    "Montréal": "Montréal",
    "Laval": "Laval",
    "Québec": "Capitale-Nationale",
    "Longueuil": "Montérégie",
    "Gatineau": "Outaouais",
    "Sherbrooke": "Estrie",
    "Saguenay": "Saguenay–Lac-Saint-Jean",
    "Trois-Rivières": "Mauricie",
    "Lévis": "Chaudière-Appalaches",
    "Terrebonne": "Lanaudière",
    "Sorel-Tracy": "Montérégie",
}

# Around Montréal the rivers, not distances, draw the region lines, so nearest-centre is wrong
# for most places there (Longueuil is closer to downtown Montréal than to anywhere in
# Montérégie). Inside METRO_BOX these names are assigned by hand; the box keeps a namesake
# elsewhere (there is a second Sainte-Catherine near Trois-Rivières) out of the table.
METRO_BOX = (45.2, 45.95, -74.4, -73.0)  # min lat, max lat, min lon, max lon
_METRO = {
    "Montréal": (
        "Rosemont–La Petite-Patrie", "Villeray–Saint-Michel–Parc-Extension", "Mercier–Hochelaga-Maisonneuve",
        "Ahuntsic-Cartierville", "Rivière-des-Prairies–Pointe-aux-Trembles", "Le Plateau-Mont-Royal",
        "Ville-Marie", "Saint-Laurent", "Montréal-Nord", "Le Sud-Ouest", "Saint-Léonard",
        "Pierrefonds-Roxboro", "Verdun", "Notre-Dame-de-Grâce", "Pierrefonds", "Saint-Michel",
        "Dollard-Des Ormeaux", "Cartierville", "Parc-Extension", "Snowdon", "Côte-Saint-Luc", "Ville-Émard",
        "Pointe-Claire", "Desmarchais-Crawford", "Mile End", "Outremont", "Westmount", "Kirkland",
        "Ile-des-Soeurs", "L'Île-Bizard–Sainte-Geneviève", "Beaconsfield", "Dorval", "Mont-Royal",
        "Saint-Henri", "Lachine", "LaSalle", "Anjou",
    ),
    "Laval": (
        "Chomedey", "Val-des-Arbres", "Duvernay", "Laval-des-Rapides", "Saint-Vincent-de-Paul", "Vimont",
    ),
    "Lanaudière": (
        "Saint-Louis-de-Terrebonne", "Repentigny", "Mascouche", "L'Assomption", "Saint-Lin-Laurentides",
    ),
    "Laurentides": (
        "Saint-Jérôme", "Blainville", "Saint-Eustache", "Mirabel", "Boisbriand", "Sainte-Thérèse",
        "Deux-Montagnes",
    ),
    "Montérégie": (
        "Le Vieux-Longueuil", "Saint-Hubert", "Brossard", "Greenfield Park", "Laflèche", "Boucherville",
        "Châteauguay", "Saint-Constant", "La Prairie", "Candiac", "Sainte-Catherine", "Varennes",
        "Salaberry-de-Valleyfield", "Vaudreuil-Dorion", "Saint-Lazare", "Les Coteaux", "Sainte-Julie",
        "Saint-Bruno-de-Montarville", "Chambly", "Beloeil", "Mont-Saint-Hilaire", "Saint-Basile-le-Grand",
        "Saint-Jean-sur-Richelieu",
    ),
}
METRO_REGIONS = {city: region for region, cities in _METRO.items() for city in cities}

POSTAL_LETTERS = "ABCEGHJKLMNPRSTVWXYZ"  # Canada Post never uses D, F, I, O, Q or U

STREET_NAMES = (
    "Saint-Denis", "Saint-Laurent", "Saint-Hubert", "Saint-Joseph", "Sainte-Catherine", "Jean-Talon",
    "Beaubien", "Bélanger", "Papineau", "Sherbrooke", "Notre-Dame", "Laurier", "Mont-Royal", "Rachel",
    "Masson", "Wellington", "Principale", "de l'Église", "du Moulin", "du Couvent", "des Érables", "des Pins",
    "du Parc", "Champlain", "Frontenac", "Cartier", "de Maisonneuve", "Dollard", "Marie-Victorin",
    "René-Lévesque", "Saint-Georges", "Saint-Jean-Baptiste", "Victoria", "King", "des Forges", "Racine",
    "Talbot", "de la Gare", "du Pont", "Commerciale", "Saint-Charles", "Lapointe", "Girouard", "Cabana",
    "Fleury", "Jarry", "Ontario", "Radisson", "Lajeunesse", "des Ursulines", "du Sanctuaire", "Saint-Vallier",
)
# The bare names that also make a shop name ("Dépanneur Beaubien").
SHOP_STREETS = tuple(n for n in STREET_NAMES if not n.startswith(("de ", "du ", "des ")))
ROAD_NAMES = (
    "du Lac", "de la Rivière", "du Golf", "des Patriotes", "du Roy", "de la Côte", "des Érables", "du Moulin",
    "Saint-Louis", "de la Montagne", "des Sources", "du Bord-de-l'Eau",
)
RANG_NAMES = (
    "Saint-Joseph", "Sainte-Anne", "Saint-Isidore", "Double", "Nord", "Sud", "des Chutes", "du Ruisseau",
)
ROUTE_NUMBERS = ("132", "138", "117", "116", "112", "155", "173", "148", "335", "204")
MONTEE_NAMES = ("Sainte-Julie", "Gagnon", "Masson", "du Moulin", "Saint-François", "de la Station", "Lesage")
ORIENTATIONS = ("Est", "Ouest", "Nord", "Sud")

FIRST_NAMES = (
    "Julie", "Marie", "Sophie", "Isabelle", "Nathalie", "Geneviève", "Mélanie", "Catherine", "Chantal",
    "Josée", "Émilie", "Annie", "Valérie", "Karine", "Rosalie", "Léa", "Chloé", "Marc", "Jean", "Pierre",
    "Luc", "Michel", "François", "Éric", "Martin", "Stéphane", "Sylvain", "Patrick", "Alain", "Denis", "Yves",
    "Mathieu", "Simon", "Gabriel", "Olivier", "Louis", "Félix", "Samuel", "Maxime", "Raymonde",
)
SURNAMES = (
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard",
    "Boucher", "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc",
    "Lefebvre", "Poulin", "Thibault", "Nadeau", "Martin", "Landry", "Martel", "Bédard", "Grenier", "Lessard",
    "Bernier", "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance", "Parent", "Blais",
    "Gosselin", "Savard", "Proulx", "Beaudoin", "Demers", "Perreault", "Lemieux", "Cyr", "Perron", "Dufour",
    "Dion", "Mercier", "Bolduc", "Bérubé", "Boisvert", "Langlois", "Ménard", "Labelle", "Plante", "Brassard",
    "Vachon", "Marcoux", "Charbonneau", "Racine", "Audet", "Rioux",
)
# Places with their preposition, so they read after a noun: "Fromagerie du Fleuve".
PLACES = (
    "du Fleuve", "du Lac", "des Cantons", "de la Vallée", "des Appalaches", "du Vieux-Moulin",
    "de la Montagne", "du Terroir", "de l'Île", "du Village", "de la Côte", "des Érables", "des Bois-Francs",
    "du Rang", "de la Petite-Nation", "du Haut-Richelieu", "de la Baie", "du Bas-du-Fleuve",
    "des Deux-Rivières", "du Nord", "de la Seigneurie", "du Clocher", "des Prés", "de la Colline",
    "du Ruisseau", "des Trois-Pignons", "de la Pointe", "du Marais", "des Battures", "de l'Anse",
)


# Shop names: "Fromagerie Le Caillé", "Dépanneur Beaubien", "Quincaillerie Lévesque et fils"…, with weights.
NAME_PATTERNS = (
    ("{label} {noun}", 2.5), ("{label} {place}", 2.0), ("{label} du Marché", 0.3),
    ("{label} Chez {first}", 1.2), ("{label} {street}", 1.5), ("{label} {surname} et {kin}", 0.8),
    ("{label} {surname}", 1.5), ("{label} {of_city}", 1.0),
)
KIND_NAME_PATTERNS = {
    "Érablière": (("{label} du Rang {n}", 3.0),),
    "Pharmacie": (("{label} {first} {surname}", 4.0),),
}

class Kind(NamedTuple):
    """A kind of merchant: its broad category, how its name starts, what it sells and how it sounds."""

    broad: str
    label: str  # how a shop name starts: "Boutique de jouets Le Cheval de bois"
    weight: float  # how common the kind is
    families: dict[str, float]  # product family -> share of its listings
    nouns: tuple[str, ...]  # shop names of the "Librairie Le Bouquin" pattern
    blurbs: tuple[str, ...]  # first half of the one-sentence description


KINDS: dict[str, Kind] = {
    "Boulangerie": Kind(
        "Alimentation", "Boulangerie", 8,
        {"pains": 0.75, "chocolats": 0.1, "fine": 0.1, "sirops": 0.05},
        ("Le Fournil", "La Mie dorée", "La Croûte", "Le Levain", "Le Pain partagé"),
        ("Pains au levain et viennoiseries cuits chaque matin", "Boulangerie artisanale au four à bois"),
    ),
    "Fromagerie": Kind(
        "Alimentation", "Fromagerie", 4,
        {"fromages": 0.75, "fine": 0.15, "pains": 0.1},
        ("La Meule", "Le Caillé", "La Crémière", "Le Petit-Lait"),
        ("Fromages fins du Québec et d'ailleurs, coupés à la demande", "Fromagerie de quartier"),
    ),
    "Dépanneur": Kind(
        "Alimentation", "Dépanneur", 12,
        {"collations": 0.55, "bieres": 0.3, "vins": 0.1, "fine": 0.05},
        ("Le Coin", "L'Express", "Chez nous", "Le Voisin"),
        ("Bières de microbrasseries, collations et dépannage", "Dépanneur ouvert tard"),
    ),
    "Érablière": Kind(
        "Alimentation", "Érablière", 3,
        {"sirops": 0.8, "chocolats": 0.2},
        ("La Coulée", "Le Chaudron", "La Cabane à Pépère", "La Tire d'antan"),
        ("Sirop et produits de l'érable bouillis au bois", "Érablière familiale"),
    ),
    "Quincaillerie": Kind(
        "Maison", "Quincaillerie", 6,
        {"quincaillerie": 0.85, "fleurs": 0.15},
        ("Le Clou", "La Vis d'or", "Le Coffre à outils"),
        ("Outils, peinture et conseils pour vos projets", "Quincaillerie de quartier"),
    ),
    "Librairie": Kind(
        "Culture", "Librairie", 4,
        {"livres": 0.85, "jouets": 0.15},
        ("Le Bouquin", "La Page blanche", "Le Signet", "La Virgule", "Le Marque-page"),
        ("Librairie indépendante, romans québécois et coups de coeur", "Livres neufs et conseils"),
    ),
    "Boucherie": Kind(
        "Alimentation", "Boucherie", 5,
        {"viandes": 0.85, "fine": 0.15},
        ("Le Couperet", "Le Bon Morceau", "La Ferme"),
        ("Viandes de la région, coupes sur mesure et charcuteries maison", "Boucherie artisanale"),
    ),
    "Poissonnerie": Kind(
        "Alimentation", "Poissonnerie", 3,
        {"poissons": 0.85, "fine": 0.15},
        ("Le Homard bleu", "La Marée", "Le Quai", "Le Crabe"),
        ("Poissons frais et fruits de mer du Saint-Laurent", "Poissonnerie et fumoir"),
    ),
    "Épicerie fine": Kind(
        "Alimentation", "Épicerie fine", 6,
        {"fine": 0.4, "fromages": 0.15, "chocolats": 0.1, "sirops": 0.1, "vins": 0.1, "pains": 0.15},
        ("Le Garde-manger", "La Tablée", "Le Panier doré", "Le Comptoir"),
        ("Produits du terroir et trouvailles gourmandes", "Épicerie fine et prêt-à-manger"),
    ),
    "Microbrasserie": Kind(
        "Alimentation", "Microbrasserie", 4,
        {"bieres": 0.85, "collations": 0.15},
        ("Le Houblon", "La Chope", "Le Fût", "La Barrique"),
        ("Bières brassées sur place", "Microbrasserie et salle de dégustation"),
    ),
    "Fruiterie": Kind(
        "Alimentation", "Fruiterie", 6,
        {"fruits": 0.8, "fine": 0.1, "sirops": 0.1},
        ("Le Potager", "La Récolte", "Le Verger", "Le Jardin"),
        ("Fruits et légumes frais des producteurs d'ici", "Fruiterie de quartier"),
    ),
    "Pharmacie": Kind(
        "Santé", "Pharmacie", 6,
        {"sante": 0.85, "collations": 0.15},
        ("Centrale", "du Quartier", "de la Place"),
        ("Pharmacie de quartier, conseils et produits de santé", "Pharmacie et soins"),
    ),
    "Herboristerie": Kind(
        "Santé", "Herboristerie", 1,
        {"sante": 0.6, "fine": 0.2, "artisanat": 0.2},
        ("La Camomille", "L'Achillée", "Le Sureau"),
        ("Plantes médicinales, tisanes et soins naturels", "Herboristerie artisanale"),
    ),
    "Chocolaterie": Kind(
        "Alimentation", "Chocolaterie", 3,
        {"chocolats": 0.85, "sirops": 0.15},
        ("La Fève", "Le Cacao", "La Praline"),
        ("Chocolats fins faits à la main", "Chocolaterie et confiserie"),
    ),
    "Vignoble": Kind(
        "Alimentation", "Vignoble", 2,
        {"vins": 0.85, "fine": 0.15},
        ("Le Cep", "La Vrille", "Le Coteau", "La Grappe"),
        ("Vins et cidres du domaine", "Vignoble familial et boutique"),
    ),
    "Boutique de vêtements": Kind(
        "Mode", "Boutique", 7,
        {"vetements": 0.8, "chaussures": 0.2},
        ("La Penderie", "Le Vestiaire", "La Maille", "Le Lainage"),
        ("Vêtements de créateurs d'ici", "Boutique de vêtements pour toute la famille"),
    ),
    "Artisanat": Kind(
        "Maison", "Boutique d'artisanat", 5,
        {"artisanat": 0.8, "vetements": 0.1, "sirops": 0.1},
        ("L'Atelier", "La Navette", "Le Métier", "La Courtepointe"),
        ("Créations d'artisans de la région", "Boutique d'art et d'artisanat"),
    ),
    "Jouets": Kind(
        "Culture", "Boutique de jouets", 3,
        {"jouets": 0.85, "livres": 0.15},
        ("Le Coffre à jouets", "La Toupie", "Le Cheval de bois", "La Marelle"),
        ("Jouets en bois et jeux de société", "Boutique de jouets et de jeux"),
    ),
    "Cordonnerie": Kind(
        "Mode", "Cordonnerie", 2,
        {"chaussures": 0.9, "vetements": 0.1},
        ("Le Talon", "La Semelle", "Le Lacet"),
        ("Réparation de chaussures, bottes et articles de cuir", "Cordonnerie et maroquinerie"),
    ),
    "Fleuriste": Kind(
        "Maison", "Fleuriste", 4,
        {"fleurs": 0.85, "chocolats": 0.15},
        ("La Pivoine", "Le Bouquet", "Les Lilas", "La Marguerite"),
        ("Fleurs coupées, plantes et arrangements", "Fleuriste et jardinerie"),
    ),
    "Marché public": Kind(
        "Alimentation", "Marché public", 1,
        {
            "fruits": 0.3,
            "fromages": 0.15,
            "viandes": 0.15,
            "pains": 0.1,
            "sirops": 0.1,
            "fine": 0.1,
            "poissons": 0.1,
        },
        ("des Producteurs", "Fermier", "du Terroir"),
        ("Marché de producteurs locaux", "Marché public ouvert à l'année"),
    ),
}


class Family(NamedTuple):
    """A family of products: its categories, its brands and the lines its names are built from.

    A line is ``(template, base price, groups)``: the first group fills ``{}`` in the template when
    there is one, the others are appended after commas; an entry is a label or ``(label, price factor)``.
    """

    categories: tuple[str, ...]
    food: bool
    brand_patterns: tuple[str, ...]
    blurbs: tuple[str, ...]
    lines: tuple[tuple[str, float, tuple[tuple, ...]], ...]


COLOURS = (
    "gris chiné", "marine", "rouge", "noir", "crème", "vert forêt", "moutarde", "bleu ciel", "charbon",
    "bourgogne",
)
CLOTHING_SIZES = ("taille P", "taille M", "taille G", "taille TG")
SHOE_SIZES = tuple(f"pointure {n}" for n in range(5, 13))
_ML = (("540 ml", 1.0), ("250 ml", 0.55), ("1 l", 1.75))
_BOOK_HEADS = (
    "La Maison", "Les Saisons", "Le Silence", "L'Hiver", "La Mémoire", "Le Chant", "Les Enfants", "La Route",
    "Le Dernier Été", "Les Lumières", "La Nuit", "Le Secret", "La Fille", "Le Gardien", "Les Oiseaux",
)
_BOOK_TAILS = (
    "du fleuve", "des érables", "de la baie", "du rang 4", "des bois", "de l'île", "du phare",
    "de la rue Fabre", "du lac gelé", "des grandes marées", "de la cabane", "du bout du monde", "des neiges",
    "de septembre", "du quai",
)

FAMILIES: dict[str, Family] = {
    "sirops": Family(
        ("Épicerie", "Sirops et miels"),
        True,
        (
            "Érablière {surname}", "Érablière {place}", "Sucrerie {surname}", "Les Sucres {place}",
            "Domaine {surname}", "Miellerie {place}", "Rucher {surname}",
        ),
        (
            "un classique du temps des sucres", "récolte du printemps, bouillage au bois",
            "à savourer sur des crêpes",
        ),
        (
            ("Sirop d'érable pur", 12.99, (("ambré", "doré", "foncé", "très foncé"), (*_ML, ("4 l", 5.5)))),
            ("Sirop d'érable biologique", 14.49, (("ambré", "doré", "foncé"), _ML)),
            ("Beurre d'érable", 7.99, ((("250 g", 1.0), ("500 g", 1.8), ("125 g", 0.6)),)),
            ("Tire d'érable", 6.49, ((("250 ml", 1.0), ("125 ml", 0.6)),)),
            ("Sucre d'érable granulé", 9.99, ((("200 g", 1.0), ("500 g", 2.2)),)),
            ("Bonbons à l'érable", 5.99, ((("100 g", 1.0), ("250 g", 2.2)),)),
            (
                "Miel {}", 9.49,
                (
                    (
                        "de trèfle", "de fleurs sauvages", "de sarrasin", "de bleuets", "crémeux",
                        "de canola", "non pasteurisé",
                    ),
                    (("500 g", 1.0), ("250 g", 0.6), ("1 kg", 1.8)),
                ),
            ),
            ("Vinaigre d'érable", 8.99, ((("250 ml", 1.0),),)),
            ("Tartinade érable et {}", 6.99, (("noix", "chocolat", "canneberges"), (("250 ml", 1.0),))),
            ("Caramel à l'érable", 7.49, ((("250 ml", 1.0), ("125 ml", 0.6)),)),
            ("Miel en rayon", 14.99, ((("300 g", 1.0),),)),
        ),
    ),
    "fromages": Family(
        ("Produits laitiers", "Fromages"),
        True,
        (
            "Fromagerie {place}", "Fromagerie {surname}", "Laiterie {place}", "Ferme {surname}",
            "Les Fromages {place}", "Crèmerie {surname}",
        ),
        (
            "à découvrir sur un plateau de fromages", "fabrication artisanale au lait d'ici",
            "affinage patient en cave",
        ),
        (
            (
                "Fromage {}", 8.99,
                (
                    (
                        "Le Doux Pâturage", "La Meule du Rang", "Le Bleu des Cantons", "Le Clocher d'antan",
                        "La Tomme du Fleuve", "Le Brise-Vent", "Le Sentier", "La Fleur des champs",
                        "Le Vieux Quai", "La Grange", "Le Semeur", "La Bergère", "Le Pic-Bois", "L'Érablé",
                        "La Belle Saison", "Le Fin Renard", "La Croûte fleurie", "Le Petit Meunier",
                    ),
                    (("200 g", 1.0), ("150 g", 0.78), ("250 g", 1.2), ("1 kg", 4.2)),
                ),
            ),
            (
                "Cheddar {}", 6.99,
                (
                    (
                        "doux", "moyen", "fort", "extra-fort", "vieilli 2 ans", "vieilli 5 ans", "fumé",
                        "au porto",
                    ),
                    (("200 g", 1.0), ("400 g", 1.8)),
                ),
            ),
            (
                "Fromage en grains {}", 5.99,
                (("frais du jour", "nature", "BBQ"), (("250 g", 1.0), ("500 g", 1.8))),
            ),
            (
                "Brie {}", 7.99,
                (("double crème", "triple crème", "aux fines herbes"), (("200 g", 1.0), ("1 kg", 4.0))),
            ),
            (
                "Fromage de chèvre {}", 6.49,
                (("frais", "cendré", "aux fines herbes", "au miel"), (("150 g", 1.0), ("250 g", 1.5))),
            ),
            ("Gouda {}", 7.49, (("jeune", "vieilli", "au cumin"), (("200 g", 1.0), ("400 g", 1.8)))),
            ("Raclette {}", 9.99, (("nature", "au poivre", "fumée"), (("400 g", 1.0), ("200 g", 0.55)))),
            (
                "Beurre {}", 5.49,
                (("salé", "non salé", "de baratte", "aux herbes"), (("250 g", 1.0), ("454 g", 1.6))),
            ),
            (
                "Yogourt {}", 4.99,
                (("nature", "à la vanille", "aux bleuets", "grec"), (("750 g", 1.0), ("500 g", 0.75))),
            ),
            (
                "Lait {}", 3.49,
                (
                    ("entier 3,25 %", "2 %", "1 %", "écrémé", "au chocolat"),
                    (("2 l", 1.0), ("1 l", 0.6), ("4 l", 1.7)),
                ),
            ),
        ),
    ),
    "pains": Family(
        ("Boulangerie", "Pains et viennoiseries"),
        True,
        (
            "Boulangerie {surname}", "Boulangerie {place}", "Les Pains de {first}", "Fournil {place}",
            "Maison {surname}",
        ),
        ("cuisson du matin même", "farine moulue sur pierre", "sans agent de conservation"),
        (
            (
                "Pain au levain {}", 6.49,
                (
                    (
                        "", "aux noix", "aux olives", "aux canneberges", "de seigle", "multigrain",
                        "intégral", "aux graines de citrouille",
                    ),
                    (("800 g", 1.0), ("400 g", 0.6), ("1 kg", 1.2)),
                ),
            ),
            (
                "Baguette {}", 3.49,
                (
                    ("tradition", "de campagne", "au levain", "multigrain"),
                    (("250 g", 1.0), ("2 unités", 1.9)),
                ),
            ),
            (
                "Croissants {}", 8.99,
                (
                    ("pur beurre", "aux amandes", "au chocolat"),
                    (("6 unités", 1.0), ("4 unités", 0.7), ("12 unités", 1.9)),
                ),
            ),
            ("Pain de mie {}", 5.49, (("blanc", "de blé entier", "brioché"), (("675 g", 1.0),))),
            (
                "Pain {}", 5.99,
                (
                    (
                        "de campagne", "aux raisins", "sans gluten", "de seigle noir", "ciabatta",
                        "focaccia au romarin", "au kamut", "d'épeautre",
                    ),
                    (("500 g", 1.0), ("800 g", 1.4)),
                ),
            ),
            ("Brioche {}", 7.49, (("nature", "au sucre", "à la cannelle", "à l'érable"), (("450 g", 1.0),))),
            (
                "Muffins {}", 7.99,
                (
                    ("aux bleuets", "son et raisins", "au chocolat", "à la carotte"),
                    (("4 unités", 1.0), ("6 unités", 1.4)),
                ),
            ),
            (
                "Tarte {}", 14.99,
                (
                    ("au sucre", "aux pommes", "aux bleuets", "au sirop d'érable", "fraises et rhubarbe"),
                    (("9 po", 1.0), ("6 po", 0.6)),
                ),
            ),
            ("Pouding chômeur", 9.99, ((("500 g", 1.0),),)),
            (
                "Tourtière {}", 16.99,
                (("traditionnelle", "du Lac-Saint-Jean", "au gibier"), (("1,2 kg", 1.0), ("600 g", 0.6))),
            ),
            ("Beignes {}", 6.99, (("au sucre", "à l'érable", "nature"), (("6 unités", 1.0),))),
            (
                "Bagels {}", 6.99,
                (("au sésame", "au pavot", "tout garnis", "nature"), (("6 unités", 1.0), ("12 unités", 1.8))),
            ),
        ),
    ),
    "bieres": Family(
        ("Boissons", "Bières"),
        True,
        (
            "Brasserie {place}", "Microbrasserie {surname}", "Brasseurs {place}", "Le Castor futé",
            "La Chouette rousse", "Le Bouc noir", "L'Orignal assoiffé", "Le Corbeau brasseur",
            "La Mouette rieuse", "Le Vieux Loup", "Le Huard têtu", "Le Renard roux", "La Bernache",
            "Le Harfang", "Le Carcajou",
        ),
        ("brassage en petits lots", "sans filtration ni pasteurisation", "à servir bien froid"),
        (
            (
                "{}", 4.49,
                (
                    (
                        "Bière blonde", "Bière rousse", "Bière noire", "Bière blanche", "IPA", "Double IPA",
                        "NEIPA", "Bière sure aux framboises", "Bière sure à la camerise", "Lager", "Pilsner",
                        "Stout à l'avoine", "Porter", "Saison", "Tripel", "Dubbel", "Pale ale", "Ale ambrée",
                        "Bière de blé", "Scotch ale", "Bière aux bleuets", "Bière à l'érable",
                        "Bière sans alcool", "Kölsch", "Gose au sel de mer",
                    ),
                    (
                        ("473 ml", 1.0), ("355 ml", 0.8), ("750 ml", 1.9), ("4 x 473 ml", 3.7),
                        ("6 x 355 ml", 4.6), ("12 x 355 ml", 8.5),
                    ),
                ),
            ),
        ),
    ),
    "vins": Family(
        ("Boissons", "Vins et cidres"),
        True,
        (
            "Vignoble {place}", "Domaine {surname}", "Cidrerie {place}", "Vergers {surname}", "Clos {first}",
            "Vignoble {surname}",
        ),
        ("vignes et vergers en climat froid", "à servir frais", "pour l'apéro entre amis"),
        (
            (
                "Vin {}", 19.95,
                (
                    ("rouge", "blanc", "rosé", "orange", "rouge de garde", "blanc sec", "mousseux"),
                    (("750 ml", 1.0), ("375 ml", 0.55), ("1,5 l", 2.0)),
                ),
            ),
            (
                "Cidre {}", 12.95,
                (
                    ("de glace", "mousseux", "rosé", "brut", "doux", "aux petits fruits", "de feu"),
                    (("750 ml", 1.0), ("375 ml", 0.7), ("4 x 355 ml", 1.0)),
                ),
            ),
            ("Vin de glace", 39.95, ((("375 ml", 1.0), ("200 ml", 0.6)),)),
            ("Mistelle {}", 24.95, (("de pomme", "de cassis", "de bleuet"), (("500 ml", 1.0),))),
            ("Hydromel {}", 22.95, (("sec", "doux", "pétillant"), (("750 ml", 1.0), ("375 ml", 0.6)))),
            (
                "Crème de {}", 29.95,
                (("cassis", "fraise", "érable", "camerise"), (("500 ml", 1.0), ("375 ml", 0.8))),
            ),
            (
                "Vin {}", 21.95,
                (
                    (
                        "Frontenac noir", "Marquette", "Vidal", "Seyval blanc", "Maréchal Foch",
                        "Sainte-Croix", "Frontenac gris", "L'Acadie blanc",
                    ),
                    (("750 ml", 1.0),),
                ),
            ),
        ),
    ),
    "viandes": Family(
        ("Boucherie", "Viandes et charcuteries"),
        True,
        (
            "Ferme {surname}", "Boucherie {surname}", "Élevage {place}", "Charcuterie {surname}",
            "Fumoir {place}",
        ),
        ("élevage de la région", "préparation à la main", "sans antibiotiques"),
        (
            (
                "Bifteck de {}", 24.99,
                (
                    ("contre-filet", "faux-filet", "surlonge", "bavette", "côte"),
                    (("400 g", 1.0), ("250 g", 0.6)),
                ),
            ),
            (
                "Boeuf haché {}", 8.99,
                (("maigre", "mi-maigre", "extra-maigre"), (("454 g", 1.0), ("1 kg", 2.1))),
            ),
            (
                "Saucisses {}", 8.49,
                (
                    (
                        "italiennes douces", "italiennes fortes", "toulousaines", "à l'érable", "merguez",
                        "au canard", "porc et pommes",
                    ),
                    (("500 g", 1.0), ("1 kg", 1.9)),
                ),
            ),
            ("Côtelettes de porc {}", 11.99, (("désossées", "avec os"), (("600 g", 1.0),))),
            ("Poulet {}", 14.99, (("entier", "de grain entier"), (("1,8 kg", 1.0),))),
            (
                "Poitrines de poulet {}", 15.99,
                (("désossées", "marinées BBQ", "marinées citron et herbes"), (("600 g", 1.0), ("1 kg", 1.6))),
            ),
            ("Cuisses de canard {}", 18.99, (("confites", "fraîches"), (("2 unités", 1.0),))),
            ("Rôti de {}", 29.99, (("palette", "porc", "veau", "cerf"), (("1,2 kg", 1.0), ("800 g", 0.7)))),
            (
                "Pâté {}", 6.99,
                (("de campagne", "de foie de volaille", "au poivre", "de lapin"), (("200 g", 1.0),)),
            ),
            ("Cretons {}", 4.99, (("maison", "à l'ancienne"), (("250 g", 1.0), ("500 g", 1.8)))),
            (
                "Jambon {}", 7.99,
                (("fumé à l'érable", "forêt-noire", "cuit à l'os"), (("200 g", 1.0), ("400 g", 1.8))),
            ),
            (
                "Bacon {}", 8.99,
                (("fumé au bois d'érable", "de dos", "tranché épais"), (("375 g", 1.0), ("500 g", 1.3))),
            ),
            ("Agneau, {}", 27.99, (("carré", "gigot", "jarrets"), (("500 g", 1.0), ("1 kg", 1.9)))),
            (
                "Saucisson sec {}", 9.99,
                (("nature", "aux herbes", "au poivre", "au fromage"), (("150 g", 1.0),)),
            ),
            ("Viande fumée tranchée", 10.99, ((("300 g", 1.0),),)),
        ),
    ),
    "poissons": Family(
        ("Poissonnerie", "Poissons et fruits de mer"),
        True,
        (
            "Pêcheries {place}", "Fumoir {surname}", "Poissonnerie {surname}", "Les Pêcheurs {place}",
            "Mareyeurs {place}",
        ),
        ("pêche responsable", "arrivage du matin", "à cuisiner simplement"),
        (
            (
                "Filets de {}", 16.99,
                (
                    (
                        "saumon de l'Atlantique", "truite arc-en-ciel", "omble chevalier", "morue", "flétan",
                        "aiglefin", "doré", "sole", "tilapia", "turbot",
                    ),
                    (("400 g", 1.0), ("250 g", 0.6), ("1 kg", 2.3)),
                ),
            ),
            (
                "Crevettes nordiques {}", 14.99,
                (("cuites", "décortiquées", "fraîches"), (("300 g", 1.0), ("1 kg", 3.0))),
            ),
            (
                "Homard {}", 29.99,
                (
                    ("des Îles-de-la-Madeleine", "de la Gaspésie", "cuit", "vivant"),
                    (("1 lb", 1.0), ("1,5 lb", 1.4)),
                ),
            ),
            ("Crabe des neiges {}", 34.99, (("cuit", "en sections"), (("1 kg", 1.0), ("500 g", 0.55)))),
            ("Moules {}", 6.99, (("bleues", "des Îles", "marinière"), (("908 g", 1.0), ("2 kg", 2.0)))),
            ("Pétoncles {}", 29.99, (("géants", "de la Côte-Nord", "U10"), (("454 g", 1.0), ("250 g", 0.6)))),
            (
                "Saumon fumé {}", 12.99,
                (("à froid", "à chaud", "à l'érable", "au poivre"), (("150 g", 1.0), ("300 g", 1.9))),
            ),
            ("Huîtres {}", 24.99, (("de la Baie", "Malpèque", "de Caraquet"), (("douzaine", 1.0),))),
            ("Truite fumée {}", 11.99, (("entière", "en filets"), (("200 g", 1.0),))),
            ("Rillettes de {}", 7.99, (("saumon", "truite", "maquereau", "crabe"), (("150 g", 1.0),))),
            ("Pâté au saumon", 9.99, ((("500 g", 1.0),),)),
            ("Soupe de poisson {}", 7.99, (("de la Gaspésie", "aux fruits de mer"), (("750 ml", 1.0),))),
        ),
    ),
    "fruits": Family(
        ("Fruits et légumes", "Produits frais"),
        True,
        (
            "Ferme {surname}", "Les Jardins {place}", "Vergers {surname}", "Maraîcher {surname}",
            "Potager {first}", "Bleuetière {place}",
        ),
        ("cueillette à maturité", "produit de saison", "culture sans pesticides de synthèse"),
        (
            (
                "Pommes {}", 4.99,
                (
                    ("McIntosh", "Cortland", "Honeycrisp", "Spartan", "Gala", "Empire", "Lobo"),
                    (("sac de 3 lb", 1.0), ("le kg", 0.7)),
                ),
            ),
            (
                "Bleuets sauvages {}", 6.99,
                (("du Lac-Saint-Jean", "surgelés", "frais"), (("500 g", 1.0), ("2 kg", 3.4))),
            ),
            ("Fraises {}", 5.99, (("du Québec", "d'automne"), (("1 l", 1.0), ("chopine", 0.6)))),
            ("Framboises", 5.49, ((("chopine", 1.0),),)),
            ("Canneberges {}", 4.99, (("fraîches", "séchées"), (("340 g", 1.0),))),
            ("Camerises", 7.99, ((("250 g", 1.0),),)),
            (
                "Carottes {}", 2.99,
                (("", "nantaises", "multicolores"), (("sac de 2 lb", 1.0), ("le kg", 0.9))),
            ),
            (
                "Pommes de terre {}", 4.99,
                (("jaunes", "rouges", "grelots", "Russet"), (("sac de 5 lb", 1.0), ("sac de 10 lb", 1.8))),
            ),
            ("Maïs sucré", 0.99, ((("l'épi", 1.0), ("douzaine", 9.0)),)),
            (
                "Tomates {}", 4.49,
                (
                    ("de serre", "cerises", "ancestrales", "italiennes"),
                    (("le kg", 1.0), ("casseau de 1 pinte", 0.8)),
                ),
            ),
            ("Laitue {}", 2.99, (("romaine", "Boston", "frisée", "mesclun"), (("l'unité", 1.0),))),
            ("Oignons {}", 3.49, (("jaunes", "rouges", "espagnols"), (("sac de 3 lb", 1.0),))),
            ("Courge {}", 3.99, (("butternut", "spaghetti", "poivrée", "musquée"), (("l'unité", 1.0),))),
            ("Champignons {}", 3.99, (("blancs", "café", "pleurotes", "shiitakes"), (("227 g", 1.0),))),
            ("Asperges {}", 5.99, (("vertes", "blanches"), (("botte de 454 g", 1.0),))),
            ("Chou {}", 2.99, (("vert", "rouge", "de Savoie", "frisé"), (("l'unité", 1.0),))),
            ("Poireaux", 3.49, ((("botte", 1.0),),)),
            ("Ail du Québec", 2.49, ((("tête", 1.0), ("sac de 3 têtes", 2.8)),)),
            ("Rhubarbe", 3.99, ((("botte", 1.0),),)),
            ("Cerises de terre", 4.99, ((("casseau de 200 g", 1.0),),)),
            ("Citrouille", 5.99, ((("l'unité", 1.0),),)),
            ("Petits fruits surgelés, mélange", 9.99, ((("1 kg", 1.0),),)),
        ),
    ),
    "chocolats": Family(
        ("Épicerie", "Chocolats et confiseries"),
        True,
        (
            "Chocolaterie {surname}", "Chocolats {first}", "Confiserie {place}", "Maison {surname}",
            "Les Douceurs {place}",
        ),
        ("fabrication à la main en petites quantités", "à offrir ou à partager", "pour les gourmands"),
        (
            (
                "Tablette de chocolat {}", 5.99,
                (
                    (
                        "noir 70 %", "noir 85 %", "au lait", "blanc", "noir à l'orange",
                        "au lait et caramel salé", "noir aux bleuets", "noir à l'érable",
                        "au lait et noisettes", "noir au piment",
                    ),
                    (("100 g", 1.0), ("50 g", 0.55)),
                ),
            ),
            (
                "Boîte de chocolats {}", 24.99,
                (
                    ("assortis", "pralinés", "truffes", "à l'érable"),
                    (("12 morceaux", 1.0), ("24 morceaux", 1.8), ("6 morceaux", 0.55)),
                ),
            ),
            (
                "Truffes {}", 14.99,
                (("au cidre de glace", "à l'érable", "au café", "à la framboise"), (("150 g", 1.0),)),
            ),
            (
                "Écorces de chocolat {}", 8.99,
                (("aux amandes", "aux canneberges", "aux bleuets"), (("150 g", 1.0),)),
            ),
            (
                "Sucre à la crème {}", 6.99,
                (("traditionnel", "à l'érable", "aux noix"), (("250 g", 1.0), ("500 g", 1.8))),
            ),
            ("Fudge {}", 6.49, (("au chocolat", "à l'érable", "à la vanille"), (("200 g", 1.0),))),
            ("Suçons à l'érable", 2.49, ((("l'unité", 1.0), ("sac de 10", 8.0)),)),
            ("Jujubes {}", 4.49, (("assortis", "surs", "aux fruits"), (("200 g", 1.0),))),
            ("Caramels {}", 6.99, (("à la fleur de sel", "à l'érable", "au beurre"), (("150 g", 1.0),))),
            ("Chocolat chaud {}", 9.99, (("à l'ancienne", "épicé", "à la guimauve"), (("250 g", 1.0),))),
            ("Nougat {}", 7.99, (("aux amandes", "à l'érable"), (("150 g", 1.0),))),
            ("Guimauves {}", 6.99, (("artisanales", "à l'érable", "grillées"), (("200 g", 1.0),))),
            ("Lapin en chocolat {}", 12.99, (("noir", "au lait"), (("200 g", 1.0),))),
        ),
    ),
    "fine": Family(
        ("Épicerie", "Épicerie fine"),
        True,
        (
            "Maison {surname}", "Les Délices {place}", "Épices {first}", "Conserverie {place}",
            "Les Artisans {place}", "Torréfacteur {surname}",
        ),
        ("préparation en petites quantités", "une trouvaille du terroir", "pour relever vos plats"),
        (
            (
                "Huile {}", 14.99,
                (
                    (
                        "d'olive extra vierge", "de caméline", "de canola pressée à froid",
                        "de tournesol biologique", "de noix",
                    ),
                    (("500 ml", 1.0), ("250 ml", 0.6), ("1 l", 1.8)),
                ),
            ),
            (
                "Vinaigre {}", 9.99,
                (
                    ("de cidre", "balsamique", "de vin rouge", "à l'érable", "de framboise"),
                    (("250 ml", 1.0), ("500 ml", 1.7)),
                ),
            ),
            (
                "Moutarde {}", 5.99,
                (
                    ("à l'ancienne", "de Dijon", "au miel", "à la bière", "à l'érable"),
                    (("250 ml", 1.0), ("125 ml", 0.6)),
                ),
            ),
            (
                "Confiture de {}", 6.99,
                (
                    ("fraises", "framboises", "bleuets", "cassis", "camerises", "rhubarbe", "abricots"),
                    (("250 ml", 1.0), ("500 ml", 1.8)),
                ),
            ),
            ("Ketchup aux fruits {}", 7.49, (("maison", "épicé"), (("500 ml", 1.0),))),
            (
                "Café {}", 14.99,
                (
                    (
                        "espresso", "mélange maison", "d'Éthiopie", "de Colombie", "décaféiné",
                        "équitable corsé",
                    ),
                    (("340 g", 1.0), ("1 kg", 2.6)),
                ),
            ),
            (
                "Thé {}", 8.99,
                (
                    ("vert", "noir", "chaï", "Earl Grey", "du Labrador", "à la menthe"),
                    (("100 g", 1.0), ("20 sachets", 0.7)),
                ),
            ),
            ("Pâtes {}", 4.99, (("fusilli", "linguine", "penne", "orzo", "tagliatelles"), (("500 g", 1.0),))),
            (
                "Sauce tomate {}", 6.99,
                (("au basilic", "arrabbiata", "à la viande"), (("500 ml", 1.0), ("1 l", 1.8))),
            ),
            ("Épices {}", 5.99, (("à steak", "cajun", "pour tourtière", "à poulet"), (("75 g", 1.0),))),
            ("Herbes salées", 6.49, ((("250 ml", 1.0),),)),
            ("Fèves au lard {}", 4.99, (("à l'érable", "traditionnelles"), (("398 ml", 1.0),))),
            ("Soupe aux pois {}", 4.49, (("traditionnelle", "au jambon"), (("796 ml", 1.0),))),
            ("Ketchup vert", 6.49, ((("500 ml", 1.0),),)),
            ("Chutney {}", 7.49, (("aux pommes", "à la mangue", "aux tomates vertes"), (("250 ml", 1.0),))),
            (
                "Noix {}", 8.99,
                (
                    ("de Grenoble", "pacanes caramélisées à l'érable", "mélange du randonneur"),
                    (("250 g", 1.0),),
                ),
            ),
            (
                "Farine {}", 7.99,
                (
                    (
                        "tout usage non blanchie", "de sarrasin", "de blé entier moulue sur pierre",
                        "d'épeautre",
                    ),
                    (("2 kg", 1.0), ("1 kg", 0.6)),
                ),
            ),
            ("Gruau {}", 5.99, (("à cuisson rapide", "d'avoine biologique"), (("1 kg", 1.0),))),
        ),
    ),
    "collations": Family(
        ("Épicerie", "Collations et boissons"),
        True,
        (
            "{surname}", "Les Aliments {surname}", "Boissons {place}", "Croustilles {surname}",
            "Collations {place}", "Biscuiterie {surname}",
        ),
        ("pour la boîte à lunch", "à grignoter devant la partie", "un petit plaisir"),
        (
            (
                "Croustilles {}", 3.99,
                (
                    (
                        "nature", "sel et vinaigre", "BBQ", "ketchup", "crème sure et oignon", "à l'aneth",
                        "chipotle",
                    ),
                    (("200 g", 1.0), ("40 g", 0.4), ("300 g", 1.3)),
                ),
            ),
            (
                "Boisson gazeuse {}", 2.29,
                (
                    ("cola", "à l'orange", "bière d'épinette", "au raisin", "crème soda", "au gingembre"),
                    (("355 ml", 1.0), ("2 l", 1.5), ("6 x 355 ml", 3.5)),
                ),
            ),
            (
                "Jus de {}", 4.49,
                (("pomme", "orange", "canneberge", "raisin", "bleuet"), (("1,89 l", 1.0), ("300 ml", 0.5))),
            ),
            (
                "Eau de source {}", 1.49,
                (("", "pétillante"), (("500 ml", 1.0), ("1,5 l", 1.6), ("24 x 500 ml", 4.5))),
            ),
            (
                "Barres tendres {}", 4.49,
                (("aux pépites de chocolat", "aux fruits", "aux noix"), (("boîte de 6", 1.0),)),
            ),
            ("Maïs soufflé {}", 3.99, (("au beurre", "au caramel", "au cheddar"), (("150 g", 1.0),))),
            ("Bretzels {}", 3.49, (("salés", "au chocolat"), (("300 g", 1.0),))),
            (
                "Biscuits {}", 4.49,
                (("à l'érable", "aux brisures de chocolat", "à l'avoine", "à la mélasse"), (("350 g", 1.0),)),
            ),
            ("Lait au chocolat", 2.49, ((("500 ml", 1.0), ("1 l", 1.7)),)),
            (
                "Gomme à mâcher {}", 1.99,
                (("menthe poivrée", "menthe verte", "cannelle"), (("paquet de 15", 1.0),)),
            ),
            ("Noix salées {}", 4.99, (("arachides", "mélange de noix", "amandes fumées"), (("200 g", 1.0),))),
            ("Bâtonnets de viande séchée {}", 3.99, (("nature", "épicés", "à l'érable"), (("70 g", 1.0),))),
            (
                "Crème glacée {}", 6.99,
                (("vanille", "chocolat", "érable et noix", "fraise"), (("1,5 l", 1.0), ("500 ml", 0.5))),
            ),
            ("Glaçons", 2.99, ((("sac de 2 kg", 1.0), ("sac de 5 kg", 1.9)),)),
        ),
    ),
    "quincaillerie": Family(
        ("Maison", "Quincaillerie"),
        False,
        (
            "Outils {surname}", "{surname} Pro", "Atelier {place}", "Quincaillerie {surname}",
            "Peintures {surname}", "Manufacture {place}",
        ),
        ("qualité professionnelle", "le choix de nos conseillers", "pour les travaux de tous les jours"),
        (
            (
                "Marteau {}", 24.99,
                (
                    ("de charpentier", "à panne fendue", "de menuisier", "en fibre de verre"),
                    (("16 oz", 1.0), ("20 oz", 1.2)),
                ),
            ),
            (
                "Tournevis {}", 7.99,
                (("plat", "Phillips", "Robertson"), (("no 1", 1.0), ("no 2", 1.05), ("no 3", 1.1))),
            ),
            (
                "Ensemble de tournevis {}", 29.99,
                (("", "de précision"), (("6 pièces", 1.0), ("12 pièces", 1.6))),
            ),
            (
                "Vis à bois {}", 8.99,
                (
                    ("no 8", "no 10"),
                    (
                        ("1 1/4 po, boîte de 100", 1.0), ("2 po, boîte de 100", 1.3),
                        ("3 po, boîte de 50", 1.2),
                    ),
                ),
            ),
            (
                "Clous {}", 6.99,
                (("ordinaires", "à toiture", "de finition"), (("2 po, 1 lb", 1.0), ("3 po, 1 lb", 1.1))),
            ),
            (
                "Peinture d'intérieur {}", 54.99,
                (
                    (
                        "blanc coquille", "gris perle", "bleu ardoise", "vert sauge", "beige sable",
                        "blanc pur",
                    ),
                    (("3,78 l", 1.0), ("946 ml", 0.4)),
                ),
            ),
            ("Peinture d'extérieur {}", 64.99, (("blanc", "rouge grange", "gris"), (("3,78 l", 1.0),))),
            ("Teinture pour terrasse {}", 49.99, (("cèdre", "acajou", "transparente"), (("3,78 l", 1.0),))),
            (
                "Pinceau {}", 12.99,
                (("angulaire", "plat"), (("1 1/2 po", 0.8), ("2 1/2 po", 1.0), ("3 po", 1.2))),
            ),
            ("Rouleau à peinture {}", 8.99, (("en microfibre", "en laine"), (("9 po", 1.0),))),
            (
                "Ruban {}", 5.99,
                (
                    ("à masquer", "adhésif en toile", "électrique"),
                    (("24 mm x 55 m", 1.0), ("48 mm x 55 m", 1.5)),
                ),
            ),
            ("Pelle {}", 34.99, (("à neige", "carrée", "ronde", "à neige ergonomique"),)),
            ("Grattoir à glace {}", 9.99, (("avec brosse", "télescopique"),)),
            ("Sel de déglaçage", 9.99, ((("sac de 10 kg", 1.0), ("sac de 20 kg", 1.7)),)),
            (
                "Ampoule DEL {}", 7.99,
                (
                    ("blanc chaud", "lumière du jour"),
                    (("60 W équiv.", 1.0), ("100 W équiv.", 1.4), ("paquet de 4", 3.2)),
                ),
            ),
            (
                "Rallonge électrique {}", 19.99,
                (("extérieure", "intérieure"), (("3 m", 0.7), ("7,5 m", 1.0), ("15 m", 1.6))),
            ),
            ("Scie {}", 29.99, (("à main", "à métaux", "à tronçonner"),)),
            ("Niveau {}", 19.99, (("torpille", "en aluminium"), (("24 po", 1.0), ("48 po", 1.6)))),
            (
                "Gants de travail {}", 14.99,
                (
                    ("en cuir", "doublés pour l'hiver", "en nitrile"),
                    (("taille M", 1.0), ("taille G", 1.0), ("taille TG", 1.05)),
                ),
            ),
            ("Calfeutrant {}", 8.99, (("silicone", "acrylique"), (("300 ml", 1.0),))),
            ("Clé à molette", 19.99, ((("8 po", 1.0), ("10 po", 1.2), ("12 po", 1.4)),)),
            ("Pince {}", 14.99, (("à long bec", "multiprise", "coupante"),)),
            ("Mèches à bois", 19.99, ((("ensemble de 7", 1.0), ("ensemble de 13", 1.6)),)),
            ("Coupe-froid {}", 9.99, (("en mousse", "en caoutchouc"), (("5 m", 1.0),))),
            ("Cadenas {}", 12.99, (("à combinaison", "à clé", "en laiton"),)),
        ),
    ),
    "fleurs": Family(
        ("Maison", "Fleurs et plantes"),
        False,
        (
            "Serres {surname}", "Pépinière {place}", "Fleurs {first}", "Les Jardins {place}",
            "Horticulture {surname}",
        ),
        ("culture en serre au Québec", "entretien facile", "pour égayer la maison"),
        (
            (
                "Bouquet {}", 34.99,
                (
                    (
                        "de roses rouges", "de saison", "champêtre", "de pivoines", "de tulipes", "de lys",
                        "de marguerites", "de tournesols",
                    ),
                    (("petit", 0.7), ("moyen", 1.0), ("grand", 1.5)),
                ),
            ),
            (
                "Plante {}", 24.99,
                (
                    (
                        "monstera", "pothos", "sansevieria", "fougère de Boston", "ficus", "calathea",
                        "orchidée phalaenopsis", "succulente", "cactus", "pilea", "philodendron",
                    ),
                    (("pot de 4 po", 0.6), ("pot de 6 po", 1.0), ("pot de 10 po", 2.0)),
                ),
            ),
            (
                "Jardinière {}", 39.99,
                (
                    ("de géraniums", "de pétunias", "d'impatientes", "de fines herbes"),
                    (("12 po", 1.0), ("16 po", 1.5)),
                ),
            ),
            (
                "Vivace, {}", 12.99,
                (
                    ("hosta", "hémérocalle", "échinacée", "rudbeckie", "lavande", "pivoine"),
                    (("pot de 1 gal", 1.0), ("pot de 2 gal", 1.7)),
                ),
            ),
            (
                "Terreau {}", 8.99,
                (("d'empotage", "pour semis", "biologique"), (("25 l", 1.0), ("50 l", 1.7))),
            ),
            (
                "Semences {}", 3.49,
                (
                    (
                        "de tomates ancestrales", "de haricots", "de laitue", "de fleurs sauvages",
                        "de citrouilles",
                    ),
                    (("sachet", 1.0),),
                ),
            ),
            (
                "Couronne de Noël {}", 29.99,
                (("en sapin baumier", "décorée"), (("20 po", 1.0), ("30 po", 1.6))),
            ),
            ("Arrangement funéraire", 89.99, ((("standard", 1.0), ("prestige", 1.8)),)),
            (
                "Fines herbes, {}", 4.99,
                (("basilic", "persil", "ciboulette", "thym", "menthe", "coriandre"), (("pot de 4 po", 1.0),)),
            ),
            (
                "Bulbes {}", 9.99,
                (
                    ("de tulipes", "de jonquilles", "d'ail d'automne"),
                    (("sac de 10", 1.0), ("sac de 25", 2.2)),
                ),
            ),
        ),
    ),
    "artisanat": Family(
        ("Maison", "Artisanat et décoration"),
        False,
        (
            "Atelier {first} {surname}", "Poterie {place}", "Les Créations {first}", "Savonnerie {place}",
            "Ébénisterie {surname}", "Verrerie {place}",
        ),
        ("fabrication à la main", "une pièce unique", "une idée cadeau"),
        (
            (
                "Bol en céramique {}", 34.99,
                (
                    ("émaillé bleu", "raku", "en grès naturel", "motif de feuilles d'érable"),
                    (("petit", 0.7), ("moyen", 1.0), ("grand", 1.5)),
                ),
            ),
            (
                "Tasse en grès {}", 28.0,
                (("bleu fleuve", "vert mousse", "blanc neige", "terre cuite"), (("350 ml", 1.0),)),
            ),
            (
                "Savon artisanal {}", 8.5,
                (
                    (
                        "au lait de chèvre", "à la lavande", "au sapin baumier", "à l'argile",
                        "à l'avoine et au miel", "au thé du Labrador",
                    ),
                    (("110 g", 1.0),),
                ),
            ),
            (
                "Bougie {}", 24.0,
                (
                    (
                        "à la cire d'abeille", "de soya parfum sapin", "de soya parfum érable",
                        "de soya parfum feu de camp",
                    ),
                    (("200 g", 1.0), ("400 g", 1.6)),
                ),
            ),
            (
                "Courtepointe {}", 249.0,
                (
                    ("faite à la main", "motif étoile", "motif pointes folles"),
                    (("lit simple", 0.8), ("lit double", 1.0), ("lit queen", 1.2)),
                ),
            ),
            ("Ceinture fléchée {}", 120.0, (("traditionnelle", "de l'Assomption"),)),
            (
                "Planche à découper en {}", 45.0,
                (("érable", "merisier", "noyer"), (("petite", 0.7), ("grande", 1.3))),
            ),
            ("Cuillère en bois {}", 18.0, (("d'érable", "de cerisier"),)),
            (
                "Tapis tressé {}", 89.0,
                (("multicolore", "bleu et blanc"), (("2 x 3 pi", 1.0), ("4 x 6 pi", 2.5))),
            ),
            (
                "Bijou en argent, {}", 65.0,
                (("pendentif feuille d'érable", "boucles d'oreilles", "bague martelée", "bracelet"),),
            ),
            ("Mitaines en fourrure recyclée", 95.0, ((("taille unique", 1.0),),)),
            ("Carte de souhaits illustrée, {}", 5.5, (("anniversaire", "Noël", "merci", "paysage d'hiver"),)),
            (
                "Affiche {}", 35.0,
                (
                    ("du Vieux-Québec", "de Montréal", "du fleuve", "de la Gaspésie"),
                    (("11 x 14 po", 1.0), ("18 x 24 po", 1.7)),
                ),
            ),
            ("Panier tressé {}", 42.0, (("en frêne", "en osier"), (("petit", 0.7), ("moyen", 1.0)))),
            ("Vase en verre soufflé {}", 75.0, (("ambre", "bleu", "transparent"),)),
        ),
    ),
    "vetements": Family(
        ("Mode", "Vêtements"),
        False,
        (
            "Tricots {surname}", "Lainages {place}", "Confection {surname}", "Atelier {first}",
            "Manufacture {place}", "Maison {surname}",
        ),
        ("confection soignée", "chaleur et durabilité", "coupe confortable"),
        (
            ("Tuque en laine", 34.99, (COLOURS,)),
            ("Tuque à pompon", 29.99, (COLOURS,)),
            ("Chandail en laine mérinos", 89.99, (COLOURS, CLOTHING_SIZES)),
            ("Manteau d'hiver {}", 349.0, (("en duvet", "à capuchon", "long"), COLOURS, CLOTHING_SIZES)),
            ("Mitaines {}", 39.99, (("en laine", "en polar", "doublées"), COLOURS)),
            ("Foulard {}", 44.99, (("en laine", "en tricot", "infini"), COLOURS)),
            (
                "Chaussettes {}", 16.99,
                (("de laine", "en laine mérinos", "de ski"), COLOURS[:6], ("taille 7-9", "taille 10-12")),
            ),
            ("T-shirt en coton biologique", 32.0, (COLOURS, CLOTHING_SIZES)),
            ("Chemise en flanelle à carreaux", 69.0, (("rouge", "bleue", "verte", "grise"), CLOTHING_SIZES)),
            (
                "Jeans coupe {}", 119.0,
                (("droite", "ajustée", "décontractée"), ("bleu foncé", "délavé", "noir"), CLOTHING_SIZES),
            ),
            ("Robe {}", 98.0, (("d'été en lin", "en tricot", "portefeuille"), COLOURS, CLOTHING_SIZES)),
            ("Pantalon de neige", 149.0, (COLOURS, CLOTHING_SIZES)),
            ("Veste en polar", 79.0, (COLOURS, CLOTHING_SIZES)),
            ("Pyjama en flanelle", 59.0, (COLOURS, CLOTHING_SIZES)),
            ("Cache-cou en polar", 19.99, (COLOURS,)),
        ),
    ),
    "chaussures": Family(
        ("Mode", "Chaussures et accessoires"),
        False,
        (
            "Cordonnerie {surname}", "Bottes {surname}", "Chaussures {place}", "Maroquinerie {first}",
            "Tannerie {place}",
        ),
        ("fabrication durable", "cuir de qualité", "pour nos hivers"),
        (
            (
                "Bottes d'hiver {}", 189.0,
                (
                    ("imperméables", "doublées de feutre", "en cuir"),
                    ("noires", "brunes", "grises"),
                    SHOE_SIZES,
                ),
            ),
            ("Bottes de pluie", 69.0, (("noires", "rouges", "marine", "à motifs", "vertes"), SHOE_SIZES)),
            (
                "Chaussures en cuir {}", 159.0,
                (("de ville", "de marche"), ("noires", "brunes", "cognac"), SHOE_SIZES),
            ),
            ("Mocassins en cuir {}", 89.0, (("de cerf", "souple"), SHOE_SIZES)),
            (
                "Pantoufles en laine bouillie", 59.0,
                (("grises", "rouges", "bleues", "vertes", "naturelles"), SHOE_SIZES),
            ),
            ("Crampons pour bottes", 24.99, (("taille P", "taille M", "taille G"),)),
            ("Cirage à chaussures {}", 7.99, (("noir", "brun", "neutre"),)),
            ("Lacets {}", 4.99, (("ronds", "plats", "en cuir"), ("noirs", "bruns"), ("75 cm", "120 cm"))),
            ("Semelles {}", 14.99, (("en feutre", "orthopédiques", "en laine"), SHOE_SIZES)),
            ("Imperméabilisant pour cuir", 12.99, ((("250 ml", 1.0), ("400 ml", 1.4)),)),
            (
                "Ceinture en cuir {}", 59.0,
                (("noire", "brune", "cognac"), ("taille 32", "taille 34", "taille 36", "taille 38")),
            ),
            (
                "Sac à main en cuir {}", 149.0,
                (("bandoulière", "fourre-tout", "pochette"), ("noir", "cognac", "camel")),
            ),
            ("Portefeuille en cuir {}", 49.0, (("noir", "brun"),)),
            ("Crème nourrissante pour cuir", 11.99, ((("100 ml", 1.0),),)),
        ),
    ),
    "livres": Family(
        ("Culture", "Livres"),
        False,
        (
            "Éditions {place}", "Éditions {surname}", "Les Éditions {place}", "Éditions La Chaloupe",
            "Éditions de la Traverse", "Éditions du Grand Fleuve", "Éditions {first} {surname}",
        ),
        ("un coup de coeur de nos libraires", "à lire au coin du feu", "à offrir"),
        (
            (
                "{}", 24.95,
                (
                    tuple(f"{h} {t}" for h in _BOOK_HEADS for t in _BOOK_TAILS),
                    ("roman québécois", "roman policier", "recueil de poésie", "récit", "roman jeunesse"),
                    (("grand format", 1.0), ("format poche", 0.55)),
                ),
            ),
            (
                "Livre de recettes {}", 34.95,
                (
                    (
                        "de cabane à sucre", "du terroir québécois", "végétariennes", "de pâtisserie",
                        "de grand-mère",
                    ),
                ),
            ),
            (
                "Guide {}", 29.95,
                (
                    (
                        "des oiseaux du Québec", "des champignons du Québec", "de randonnée en Gaspésie",
                        "du jardinage en climat froid", "de la cueillette sauvage", "des parcs nationaux",
                    ),
                ),
            ),
            (
                "Album jeunesse, {}", 19.95,
                (
                    (
                        "Le Petit Castor", "La Tuque de Léa", "Un hiver chez grand-maman",
                        "Le Huard qui ne chantait pas", "Mon ami l'orignal",
                    ),
                ),
            ),
            ("Agenda 2027", 24.95, ((("format de poche", 0.7), ("grand format", 1.0)),)),
            ("Dictionnaire {}", 39.95, (("des expressions québécoises", "visuel", "des synonymes"),)),
        ),
    ),
    "jouets": Family(
        ("Culture", "Jouets et jeux"),
        False,
        ("Jouets {surname}", "Les Jeux {place}", "Atelier {first}", "Fabrique {place}", "Ludik {surname}"),
        ("pour jouer en famille", "fabrication durable", "dès 3 ans"),
        (
            (
                "Casse-tête {}", 24.99,
                (
                    (
                        "Paysage d'automne", "Le Vieux-Québec", "Rocher en mer", "Cabane à sucre",
                        "Phare de la Gaspésie", "Chute en hiver", "Carte du Québec", "Village en hiver",
                    ),
                    (
                        ("500 morceaux", 0.8), ("1000 morceaux", 1.0), ("300 morceaux", 0.7),
                        ("2000 morceaux", 1.5),
                    ),
                ),
            ),
            (
                "Jeu de société {}", 39.99,
                (
                    (
                        "La Course aux bleuets", "Les Coureurs des bois", "Cabane en folie",
                        "Hockey de cuisine", "Le Défi du Saint-Laurent", "Mots croisés en famille",
                    ),
                ),
            ),
            (
                "Peluche {}", 19.99,
                (
                    (
                        "castor", "orignal", "harfang des neiges", "ours noir", "raton laveur", "huard",
                        "caribou", "renard roux",
                    ),
                    (("petite", 0.7), ("moyenne", 1.0), ("grande", 1.6)),
                ),
            ),
            (
                "Jouet en bois, {}", 29.99,
                (
                    ("train", "casse-tête à formes", "toupie", "camion", "bilboquet", "jeu de quilles"),
                    ("en érable", "en merisier"),
                ),
            ),
            ("Traîne sauvage en bois", 129.0, ((("4 pi", 1.0), ("6 pi", 1.3)),)),
            ("Bâton de hockey {}", 49.99, (("junior", "intermédiaire", "senior"), ("gaucher", "droitier"))),
            ("Rondelles de hockey", 2.49, ((("l'unité", 1.0), ("paquet de 6", 5.0)),)),
            ("Poupée {}", 34.99, (("de chiffon", "en tricot"), ("Léa", "Rose", "Félix", "Mathis"))),
            (
                "Blocs de construction {}", 39.99,
                (("en bois naturel", "magnétiques"), (("50 pièces", 0.8), ("100 pièces", 1.3))),
            ),
            (
                "Ensemble de bricolage, {}", 24.99,
                (("perles", "peinture sur galets", "tricot pour enfants", "savon"),),
            ),
            ("Livre à colorier {}", 7.99, (("des animaux du Québec", "de l'hiver", "des mandalas"),)),
        ),
    ),
    "sante": Family(
        ("Santé", "Santé et beauté"),
        False,
        (
            "Laboratoire {surname}", "Naturo {place}", "Soins {first}", "Herboristerie {place}",
            "Pharma {surname}",
        ),
        ("formule douce", "le choix de nos pharmaciens", "pour toute la famille"),
        (
            (
                "Vitamine {}", 14.99,
                (
                    ("D 1000 UI", "C 500 mg", "B12", "multivitamines adultes", "multivitamines enfants"),
                    (("60 comprimés", 0.65), ("120 comprimés", 1.0), ("240 comprimés", 1.7)),
                ),
            ),
            (
                "Crème hydratante {}", 19.99,
                (
                    ("à l'argousier", "au lait de chèvre", "à l'avoine", "sans parfum", "au miel"),
                    (("100 ml", 1.0), ("250 ml", 1.8)),
                ),
            ),
            (
                "Baume à lèvres {}", 4.99,
                (
                    ("à la cire d'abeille", "à l'érable", "à la menthe", "sans parfum"),
                    (("l'unité", 1.0), ("paquet de 3", 2.6)),
                ),
            ),
            (
                "Shampoing {}", 12.99,
                (
                    ("doux", "à la camomille", "pour cheveux secs", "antipelliculaire"),
                    (("250 ml", 1.0), ("500 ml", 1.7)),
                ),
            ),
            (
                "Savon liquide pour les mains {}", 7.99,
                (("à la lavande", "au thé vert", "sans parfum"), (("500 ml", 1.0), ("1 l", 1.7))),
            ),
            (
                "Écran solaire {}", 17.99,
                (
                    ("FPS 30", "FPS 50", "minéral FPS 30", "pour enfants FPS 50"),
                    (("100 ml", 1.0), ("200 ml", 1.7)),
                ),
            ),
            ("Onguent {}", 9.99, (("à l'arnica", "au calendula", "pour l'eczéma"), (("50 g", 1.0),))),
            (
                "Sirop contre la toux {}", 11.99,
                (("au miel", "pour enfants", "de nuit"), (("100 ml", 0.8), ("250 ml", 1.0))),
            ),
            (
                "Pansements {}", 5.99,
                (("assortis", "en tissu", "imperméables"), (("boîte de 30", 1.0), ("boîte de 60", 1.7))),
            ),
            (
                "Tisane {}", 6.99,
                (
                    ("camomille", "menthe poivrée", "gingembre et citron", "thé du Labrador"),
                    (("20 sachets", 1.0),),
                ),
            ),
            (
                "Huile essentielle {}", 12.99,
                (
                    (
                        "de lavande", "de sapin baumier", "d'eucalyptus", "de menthe poivrée",
                        "d'épinette noire",
                    ),
                    (("15 ml", 1.0), ("30 ml", 1.7)),
                ),
            ),
            ("Dentifrice {}", 4.99, (("à la menthe", "au charbon", "pour enfants"), (("100 ml", 1.0),))),
            ("Brosse à dents {}", 4.99, (("en bambou", "souple", "pour enfants"),)),
            ("Désinfectant pour les mains", 4.99, ((("60 ml", 0.5), ("250 ml", 1.0), ("1 l", 2.8)),)),
            ("Acétaminophène 500 mg", 8.99, ((("50 comprimés", 0.6), ("100 comprimés", 1.0)),)),
            ("Ibuprofène 200 mg", 9.99, ((("50 comprimés", 0.6), ("100 comprimés", 1.0)),)),
        ),
    ),
}

SERVICE_ODDS = (("livraison", 0.4), ("cueillette", 0.6), ("achat_en_ligne", 0.35))
QUEBEC_FOOD_CERTIFICATIONS = ("Aliments du Québec", "Aliments préparés au Québec")
QUEBEC_OTHER_CERTIFICATION = "Produit du Québec"
FARM_CERTIFICATION = "Québec Vrai"  # farm and orchard products
FARM_FAMILIES = frozenset({"fruits", "viandes", "fromages", "sirops", "vins"})
ORGANIC_CERTIFICATION = "Biologique Canada"
GTIN_PREFIXES = ("0627", "0628", "0629", "0778", "754", "755")  # GS1 Canada ranges
# fmt: on
