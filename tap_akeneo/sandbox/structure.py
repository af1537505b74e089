"""Static catalog structure of the sandbox PIM.

Channels, locales, currencies, attribute groups, attributes (with options), families, family
variants, category trees, association types, measurement families and the Enterprise reference
entities / asset families. Everything here is fixed data written for the sandbox (nothing is
copied from Akeneo's spec); the generator in :mod:`catalog` builds products and product models
on top of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LOCALES_ENABLED = ("en_US", "fr_FR", "de_DE")
# every locale the PIM knows, enabled or not, sorted by code
LOCALES_ALL = ("de_DE", "en_GB", "en_US", "es_ES", "fr_FR", "it_IT")

CURRENCIES = {
    # code: (enabled, label)
    "EUR": (True, "Euro"),
    "GBP": (True, "British pound"),
    "JPY": (False, "Japanese yen"),
    "USD": (True, "US dollar"),
}

LABEL_LOCALES = ("en_US", "fr_FR", "de_DE")


@dataclass(frozen=True)
class Channel:
    code: str
    locales: tuple[str, ...]
    currencies: tuple[str, ...]
    category_tree: str
    labels: dict[str, str]
    conversion_units: dict[str, str] = field(default_factory=dict)


CHANNELS = (
    Channel(
        "ecommerce",
        ("de_DE", "en_US", "fr_FR"),
        ("EUR", "USD"),
        "master",
        {"en_US": "Ecommerce", "fr_FR": "E-commerce", "de_DE": "E-Commerce"},
    ),
    Channel(
        "mobile",
        ("en_US", "fr_FR"),
        ("EUR", "USD"),
        "master",
        {"en_US": "Mobile", "fr_FR": "Mobile", "de_DE": "Mobil"},
    ),
    Channel(
        "print",
        ("de_DE", "en_US"),
        ("EUR", "GBP"),
        "print_catalog",
        {"en_US": "Print", "fr_FR": "Impression", "de_DE": "Druck"},
        {"weight": "KILOGRAM"},
    ),
)
CHANNELS_BY_CODE = {c.code: c for c in CHANNELS}

# (channel, locale) pairs for which localizable+scopable values exist
CHANNEL_LOCALE_PAIRS = tuple((c.code, loc) for c in CHANNELS for loc in c.locales)

ATTRIBUTE_GROUPS = {
    # code: (sort_order, labels)
    "erp": (4, {"en_US": "ERP", "fr_FR": "ERP", "de_DE": "ERP"}),
    "marketing": (1, {"en_US": "Marketing", "fr_FR": "Marketing", "de_DE": "Marketing"}),
    "media": (3, {"en_US": "Media", "fr_FR": "Médias", "de_DE": "Medien"}),
    "other": (0, {"en_US": "Other", "fr_FR": "Autre", "de_DE": "Andere"}),
    "technical": (2, {"en_US": "Technical", "fr_FR": "Technique", "de_DE": "Technik"}),
}


@dataclass(frozen=True)
class Attribute:
    code: str
    type: str
    group: str
    labels: dict[str, str]
    localizable: bool = False
    scopable: bool = False
    unique: bool = False
    decimals_allowed: bool | None = None
    negative_allowed: bool | None = None
    metric_family: str | None = None
    default_metric_unit: str | None = None
    allowed_extensions: tuple[str, ...] = ()
    max_characters: int | None = None
    wysiwyg_enabled: bool | None = None
    sort_order: int = 0
    options: tuple[tuple[str, dict[str, str]], ...] = ()
    reference_data_name: str | None = None


def _lbl(en: str, fr: str, de: str) -> dict[str, str]:
    return {"en_US": en, "fr_FR": fr, "de_DE": de}


COLOR_OPTIONS = (
    ("black", _lbl("Black", "Noir", "Schwarz")),
    ("blue", _lbl("Blue", "Bleu", "Blau")),
    ("green", _lbl("Green", "Vert", "Grün")),
    ("grey", _lbl("Grey", "Gris", "Grau")),
    ("red", _lbl("Red", "Rouge", "Rot")),
    ("white", _lbl("White", "Blanc", "Weiß")),
    ("yellow", _lbl("Yellow", "Jaune", "Gelb")),
    ("navy", _lbl("Navy", "Marine", "Marineblau")),
)
SIZE_OPTIONS = tuple(
    (code, _lbl(code.upper(), code.upper(), code.upper()))
    for code in ("xxs", "xs", "s", "m", "l", "xl", "xxl", "xxxl")
)
SHOE_SIZE_OPTIONS = tuple((f"eu_{n}", _lbl(f"EU {n}", f"EU {n}", f"EU {n}")) for n in range(36, 47))
BRAND_OPTIONS = tuple(
    (code, _lbl(label, label, label))
    for code, label in (
        ("acme", "Acme"),
        ("borealis", "Borealis"),
        ("cobalt", "Cobalt & Co"),
        ("dunmore", "Dunmore"),
        ("elysee", "Élysée"),
        ("fjord", "Fjord"),
        ("garnet", "Garnet"),
        ("helios", "Helios"),
        ("ironbark", "Ironbark"),
        ("juniper", "Juniper"),
        ("kestrel", "Kestrel"),
        ("lumen", "Lumen"),
    )
)
MATERIAL_OPTIONS = (
    ("cotton", _lbl("Cotton", "Coton", "Baumwolle")),
    ("leather", _lbl("Leather", "Cuir", "Leder")),
    ("linen", _lbl("Linen", "Lin", "Leinen")),
    ("polyester", _lbl("Polyester", "Polyester", "Polyester")),
    ("wool", _lbl("Wool", "Laine", "Wolle")),
    ("aluminium", _lbl("Aluminium", "Aluminium", "Aluminium")),
    ("plastic", _lbl("Plastic", "Plastique", "Kunststoff")),
    ("steel", _lbl("Steel", "Acier", "Stahl")),
)
SEASON_OPTIONS = (
    ("spring", _lbl("Spring", "Printemps", "Frühling")),
    ("summer", _lbl("Summer", "Été", "Sommer")),
    ("autumn", _lbl("Autumn", "Automne", "Herbst")),
    ("winter", _lbl("Winter", "Hiver", "Winter")),
)

ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute("sku", "pim_catalog_identifier", "other", _lbl("SKU", "SKU", "SKU"), unique=True,
              max_characters=255),
    Attribute("name", "pim_catalog_text", "marketing", _lbl("Name", "Nom", "Name"),
              localizable=True, max_characters=255, sort_order=1),
    Attribute("description", "pim_catalog_textarea", "marketing",
              _lbl("Description", "Description", "Beschreibung"), localizable=True,
              scopable=True, wysiwyg_enabled=False, sort_order=2),
    Attribute("brand", "pim_catalog_simpleselect", "marketing", _lbl("Brand", "Marque", "Marke"),
              options=BRAND_OPTIONS, sort_order=3),
    Attribute("color", "pim_catalog_simpleselect", "marketing", _lbl("Color", "Couleur", "Farbe"),
              options=COLOR_OPTIONS, sort_order=4),
    Attribute("size", "pim_catalog_simpleselect", "marketing", _lbl("Size", "Taille", "Größe"),
              options=SIZE_OPTIONS + SHOE_SIZE_OPTIONS, sort_order=5),
    Attribute("material", "pim_catalog_multiselect", "technical",
              _lbl("Material", "Matière", "Material"), options=MATERIAL_OPTIONS, sort_order=1),
    Attribute("season", "pim_catalog_multiselect", "marketing",
              _lbl("Season", "Saison", "Saison"), options=SEASON_OPTIONS, sort_order=6),
    Attribute("weight", "pim_catalog_metric", "technical", _lbl("Weight", "Poids", "Gewicht"),
              decimals_allowed=True, negative_allowed=False, metric_family="Weight",
              default_metric_unit="KILOGRAM", sort_order=2),
    Attribute("width", "pim_catalog_metric", "technical", _lbl("Width", "Largeur", "Breite"),
              decimals_allowed=False, negative_allowed=False, metric_family="Length",
              default_metric_unit="CENTIMETER", sort_order=3),
    Attribute("price", "pim_catalog_price_collection", "marketing", _lbl("Price", "Prix", "Preis"),
              decimals_allowed=True, sort_order=7),
    Attribute("ean", "pim_catalog_text", "erp", _lbl("EAN", "EAN", "EAN"), unique=True,
              max_characters=13, sort_order=1),
    Attribute("erp_name", "pim_catalog_text", "erp", _lbl("ERP name", "Nom ERP", "ERP-Name"),
              max_characters=100, sort_order=2),
    Attribute("warranty_months", "pim_catalog_number", "technical",
              _lbl("Warranty (months)", "Garantie (mois)", "Garantie (Monate)"),
              decimals_allowed=False, negative_allowed=False, sort_order=4),
    Attribute("rating", "pim_catalog_number", "marketing", _lbl("Rating", "Note", "Bewertung"),
              decimals_allowed=True, negative_allowed=False, sort_order=8),
    Attribute("is_featured", "pim_catalog_boolean", "marketing",
              _lbl("Featured", "Mis en avant", "Hervorgehoben"), scopable=True, sort_order=9),
    Attribute("release_date", "pim_catalog_date", "marketing",
              _lbl("Release date", "Date de sortie", "Erscheinungsdatum"), sort_order=10),
    Attribute("main_image", "pim_catalog_image", "media",
              _lbl("Main image", "Image principale", "Hauptbild"),
              allowed_extensions=("jpg", "png"), sort_order=1),
    Attribute("datasheet", "pim_catalog_file", "media",
              _lbl("Datasheet", "Fiche technique", "Datenblatt"), allowed_extensions=("pdf",),
              sort_order=2),
)
ATTRIBUTES_BY_CODE = {a.code: a for a in ATTRIBUTES}


@dataclass(frozen=True)
class VariantLevel:
    level: int
    axes: tuple[str, ...]
    attributes: tuple[str, ...]


@dataclass(frozen=True)
class FamilyVariant:
    code: str
    family: str
    labels: dict[str, str]
    levels: tuple[VariantLevel, ...]


@dataclass(frozen=True)
class Family:
    code: str
    labels: dict[str, str]
    attributes: tuple[str, ...]
    attribute_as_label: str
    attribute_as_image: str | None
    requirements: dict[str, tuple[str, ...]]
    variants: tuple[FamilyVariant, ...] = ()


def _req(*extra: str) -> dict[str, tuple[str, ...]]:
    return {
        "ecommerce": ("sku", "name", "description", "price", *extra),
        "mobile": ("sku", "name"),
        "print": ("sku", "name", "description"),
    }


FAMILIES: tuple[Family, ...] = (
    Family(
        "accessories",
        _lbl("Accessories", "Accessoires", "Zubehör"),
        ("sku", "name", "description", "brand", "color", "material", "price", "ean", "erp_name",
         "main_image", "is_featured"),
        "name",
        "main_image",
        _req(),
    ),
    Family(
        "clothing",
        _lbl("Clothing", "Vêtements", "Kleidung"),
        ("sku", "name", "description", "brand", "color", "size", "material", "season", "weight",
         "price", "ean", "erp_name", "release_date", "is_featured", "main_image"),
        "name",
        "main_image",
        _req("size"),
        (
            FamilyVariant(
                "clothing_color_size",
                "clothing",
                _lbl("Clothing by color and size", "Vêtements par couleur et taille",
                     "Kleidung nach Farbe und Größe"),
                (
                    VariantLevel(1, ("color",), ("color", "main_image")),
                    VariantLevel(2, ("size",), ("size", "sku", "ean", "weight", "erp_name")),
                ),
            ),
            FamilyVariant(
                "clothing_size",
                "clothing",
                _lbl("Clothing by size", "Vêtements par taille", "Kleidung nach Größe"),
                (VariantLevel(1, ("size",), ("size", "sku", "ean", "weight", "erp_name")),),
            ),
        ),
    ),
    Family(
        "electronics",
        _lbl("Electronics", "Électronique", "Elektronik"),
        ("sku", "name", "description", "brand", "color", "weight", "width", "price", "ean",
         "erp_name", "warranty_months", "rating", "release_date", "is_featured", "main_image",
         "datasheet"),
        "name",
        "main_image",
        _req("warranty_months"),
        (
            FamilyVariant(
                "electronics_color",
                "electronics",
                _lbl("Electronics by color", "Électronique par couleur", "Elektronik nach Farbe"),
                (VariantLevel(1, ("color",), ("color", "sku", "ean", "erp_name", "main_image")),),
            ),
        ),
    ),
    Family(
        "shoes",
        _lbl("Shoes", "Chaussures", "Schuhe"),
        ("sku", "name", "description", "brand", "color", "size", "material", "weight", "price",
         "ean", "erp_name", "release_date", "main_image", "rating"),
        "name",
        "main_image",
        _req("size"),
        (
            FamilyVariant(
                "shoes_color_size",
                "shoes",
                _lbl("Shoes by color and size", "Chaussures par couleur et taille",
                     "Schuhe nach Farbe und Größe"),
                (
                    VariantLevel(1, ("color",), ("color", "main_image")),
                    VariantLevel(2, ("size",), ("size", "sku", "ean", "erp_name")),
                ),
            ),
            FamilyVariant(
                "shoes_size",
                "shoes",
                _lbl("Shoes by size", "Chaussures par taille", "Schuhe nach Größe"),
                (VariantLevel(1, ("size",), ("size", "sku", "ean", "weight", "erp_name")),),
            ),
        ),
    ),
)
FAMILIES_BY_CODE = {f.code: f for f in FAMILIES}
FAMILY_VARIANTS_BY_CODE = {v.code: v for f in FAMILIES for v in f.variants}

# category trees: (code, parent, labels); roots have parent None; listed in tree order
CATEGORIES: tuple[tuple[str, str | None, dict[str, str]], ...] = (
    ("master", None, _lbl("Master catalog", "Catalogue principal", "Hauptkatalog")),
    ("clothing", "master", _lbl("Clothing", "Vêtements", "Kleidung")),
    ("clothing_men", "clothing", _lbl("Men", "Homme", "Herren")),
    ("clothing_men_tops", "clothing_men", _lbl("Tops", "Hauts", "Oberteile")),
    ("clothing_men_bottoms", "clothing_men", _lbl("Bottoms", "Bas", "Hosen")),
    ("clothing_women", "clothing", _lbl("Women", "Femme", "Damen")),
    ("clothing_women_tops", "clothing_women", _lbl("Tops", "Hauts", "Oberteile")),
    ("clothing_women_dresses", "clothing_women", _lbl("Dresses", "Robes", "Kleider")),
    ("clothing_kids", "clothing", _lbl("Kids", "Enfants", "Kinder")),
    ("shoes", "master", _lbl("Shoes", "Chaussures", "Schuhe")),
    ("shoes_running", "shoes", _lbl("Running", "Course", "Laufen")),
    ("shoes_city", "shoes", _lbl("City", "Ville", "Stadt")),
    ("electronics", "master", _lbl("Electronics", "Électronique", "Elektronik")),
    ("electronics_audio", "electronics", _lbl("Audio", "Audio", "Audio")),
    ("electronics_video", "electronics", _lbl("Video", "Vidéo", "Video")),
    ("electronics_phones", "electronics", _lbl("Phones", "Téléphones", "Telefone")),
    ("accessories", "master", _lbl("Accessories", "Accessoires", "Zubehör")),
    ("accessories_bags", "accessories", _lbl("Bags", "Sacs", "Taschen")),
    ("accessories_watches", "accessories", _lbl("Watches", "Montres", "Uhren")),
    ("sales", "master", _lbl("Sales", "Soldes", "Schlussverkauf")),
    ("print_catalog", None, _lbl("Print catalog", "Catalogue papier", "Druckkatalog")),
    ("print_spring", "print_catalog", _lbl("Spring", "Printemps", "Frühling")),
    ("print_summer", "print_catalog", _lbl("Summer", "Été", "Sommer")),
    ("print_autumn", "print_catalog", _lbl("Autumn", "Automne", "Herbst")),
    ("print_winter", "print_catalog", _lbl("Winter", "Hiver", "Winter")),
)
CATEGORY_PARENT = {code: parent for code, parent, _ in CATEGORIES}

# leaf categories a product of a family may be classified in (master tree)
FAMILY_CATEGORIES = {
    "accessories": ("accessories_bags", "accessories_watches", "accessories"),
    "clothing": ("clothing_men_tops", "clothing_men_bottoms", "clothing_women_tops",
                 "clothing_women_dresses", "clothing_kids"),
    "electronics": ("electronics_audio", "electronics_video", "electronics_phones"),
    "shoes": ("shoes_running", "shoes_city"),
    None: ("master", "sales"),
}
PRINT_CATEGORIES = ("print_spring", "print_summer", "print_autumn", "print_winter")

ASSOCIATION_TYPES = (
    # code, labels, is_quantified, is_two_way
    ("PACK", _lbl("Pack", "Pack", "Paket"), False, False),
    ("PRODUCT_SET", _lbl("Product set", "Ensemble de produits", "Produktset"), True, False),
    ("SUBSTITUTION", _lbl("Substitution", "Remplacement", "Ersatz"), False, False),
    ("UPSELL", _lbl("Upsell", "Vente incitative", "Upselling"), False, False),
    ("X_SELL", _lbl("Cross sell", "Vente croisée", "Cross-Selling"), False, True),
)
ASSOCIATION_TYPE_CODES = tuple(a[0] for a in ASSOCIATION_TYPES if not a[2])
QUANTIFIED_ASSOCIATION_TYPE_CODES = tuple(a[0] for a in ASSOCIATION_TYPES if a[2])

GROUPS = ("summer_sale", "winter_sale", "bundle_2025")


def _unit(code: str, labels: dict[str, str], ops: list[tuple[str, str]], symbol: str) -> dict:
    return {
        "code": code,
        "labels": labels,
        "convert_from_standard": [{"operator": op, "value": val} for op, val in ops],
        "symbol": symbol,
    }


MEASUREMENT_FAMILIES: tuple[dict, ...] = (
    {
        "code": "Length",
        "labels": _lbl("Length", "Longueur", "Länge"),
        "standard_unit_code": "METER",
        "units": {
            "CENTIMETER": _unit("CENTIMETER", _lbl("Centimeter", "Centimètre", "Zentimeter"),
                                [("mul", "0.01")], "cm"),
            "METER": _unit("METER", _lbl("Meter", "Mètre", "Meter"), [("mul", "1")], "m"),
            "MILLIMETER": _unit("MILLIMETER", _lbl("Millimeter", "Millimètre", "Millimeter"),
                                [("mul", "0.001")], "mm"),
        },
    },
    {
        "code": "Weight",
        "labels": _lbl("Weight", "Poids", "Gewicht"),
        "standard_unit_code": "KILOGRAM",
        "units": {
            "GRAM": _unit("GRAM", _lbl("Gram", "Gramme", "Gramm"), [("mul", "0.001")], "g"),
            "KILOGRAM": _unit("KILOGRAM", _lbl("Kilogram", "Kilogramme", "Kilogramm"),
                              [("mul", "1")], "kg"),
            "POUND": _unit("POUND", _lbl("Pound", "Livre", "Pfund"), [("mul", "0.45359237")],
                           "lb"),
        },
    },
)

# --- Enterprise: reference entities and asset families ---------------------------------------

REFERENCE_ENTITIES = (
    # code, labels, record code prefix/name pool
    ("brands", _lbl("Brands", "Marques", "Marken")),
    ("designers", _lbl("Designers", "Designers", "Designer")),
    ("fabrics", _lbl("Fabrics", "Tissus", "Stoffe")),
)
REFERENCE_ENTITY_ATTRIBUTES = (
    # code, type, value_per_locale, value_per_channel, labels
    ("label", "text", True, False, _lbl("Label", "Libellé", "Bezeichnung")),
    ("image", "image", False, False, _lbl("Image", "Image", "Bild")),
    ("description", "text", True, True, _lbl("Description", "Description", "Beschreibung")),
    ("country", "text", False, False, _lbl("Country", "Pays", "Land")),
)

ASSET_FAMILIES = (
    ("packshots", _lbl("Packshots", "Packshots", "Packshots")),
    ("user_guides", _lbl("User guides", "Guides utilisateur", "Bedienungsanleitungen")),
)
ASSET_ATTRIBUTES = (
    # code, type, value_per_locale, value_per_channel, labels, media_type
    ("media", "media_file", False, False, _lbl("Media", "Média", "Medien"), "image"),
    ("label", "text", True, False, _lbl("Label", "Libellé", "Bezeichnung"), None),
    ("alt_text", "text", True, True, _lbl("Alt text", "Texte alternatif", "Alternativtext"), None),
    ("photographer", "text", False, False, _lbl("Photographer", "Photographe", "Fotograf"), None),
)

# --- word banks for generated texts ---------------------------------------------------------

def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "en_US": _words(
        "soft breathable durable lightweight classic modern premium everyday versatile elegant "
        "comfortable practical stylish sturdy compact refined rugged timeless sleek warm cool "
        "fabric design fit finish detail pocket collar seam stitch texture colour pattern "
        "shape layer lining comfort style season travel city weekend office outdoor sport "
        "made with for the and a of in perfect ideal built crafted tailored"
    ),
    "fr_FR": _words(
        "doux respirant durable léger classique moderne premium quotidien polyvalent élégant "
        "confortable pratique stylé robuste compact raffiné résistant intemporel épuré chaud "
        "tissu design coupe finition détail poche col couture point texture couleur motif "
        "forme couche doublure confort style saison voyage ville week-end bureau plein-air "
        "fait avec pour le la et un une de en parfait idéal conçu façonné ajusté été"
    ),
    "de_DE": _words(
        "weich atmungsaktiv langlebig leicht klassisch modern hochwertig alltäglich vielseitig "
        "elegant bequem praktisch stilvoll robust kompakt raffiniert strapazierfähig zeitlos "
        "schlicht warm Stoff Design Passform Verarbeitung Detail Tasche Kragen Naht Stich "
        "Struktur Farbe Muster Form Schicht Futter Komfort Stil Saison Reise Stadt Wochenende "
        "Büro draußen Sport aus mit für der die das und ein eine perfekt ideal gefertigt größer"
    ),
}
NOUNS = {
    "accessories": ("Bag", "Belt", "Watch", "Wallet", "Scarf", "Cap"),
    "clothing": ("T-shirt", "Shirt", "Sweater", "Jacket", "Dress", "Trousers", "Hoodie"),
    "electronics": ("Headphones", "Speaker", "Camera", "Phone", "Tablet", "Charger"),
    "shoes": ("Sneakers", "Boots", "Loafers", "Sandals", "Running shoes"),
    None: ("Gift card", "Sticker", "Poster"),
}
