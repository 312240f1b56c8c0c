"""Orders for the speech and lip-sync figures: drawn at random (seeded, so every bench run draws the same ones), each
with a catalog mention and a parent's words; and twins of an order, other children whose scripts pick the very
phrasings of its own, so every shared sentence of the twin is one the order already said."""

import random

from santa_videos.orders.model import LANGUAGES, MAX_AGE, MIN_AGE, Order, parse_order
from santa_videos.script.catalog import CATALOG
from santa_videos.script.lines import write_script
from santa_videos.script.mentions import addresses_the_child

NAMES = [
    "Emma", "Mateo", "Zoë", "Chloé", "José", "Siobhán", "Björn", "Anaïs", "Maël", "François", "Ñico", "Mary-Kate",
    "D'Andre", "Ana Sofía", "Jürgen", "Inés", "Łukasz", "Aoife", "Renée", "Nikolai", "Amara", "Kenji", "Priya",
    "Olumide", "Noah", "Lucía", "Hugo", "Valentina",
]
# Both ways parents write: to the child ("you ...", which Santa says after "my elves told me that") and about them.
PARENT_WORDS = {
    "en": [
        "you helped grandma bake cookies for the neighbours", "you learned to tie your shoes all by yourself",
        "you were so brave when you lost your first tooth", "you read a whole chapter book this autumn",
        "you made your baby brother laugh every morning", "your drawings of dinosaurs cover our fridge",
        "she shares her snacks with her friends at school", "he walks the dog with his dad every evening",
        "learned to swim without armbands this summer", "always feeds the cat before breakfast",
        "Grandpa says she tells the best bedtime stories", "made a birthday card for his teacher",
    ],
    "es": [
        "ayudaste a la abuela a hacer galletas para los vecinos", "aprendiste a atarte los zapatos tú solo",
        "fuiste muy valiente cuando se te cayó el primer diente", "compartiste tu merienda con tus amigos",
        "hiciste reír a tu hermanito todas las mañanas", "tus dibujos de dinosaurios llenan la nevera",
        "comparte sus juguetes con su hermana pequeña", "saca a pasear al perro con su padre cada tarde",
        "aprendió a nadar sin flotador este verano", "siempre da de comer al gato antes del desayuno",
        "el abuelo dice que cuenta los mejores cuentos", "le hizo una tarjeta de cumpleaños a su maestra",
    ],
}
ID_DIGITS = 26 * 4  # hex digits only: all of them are in the order ids' alphabet


def order_id(rng: random.Random) -> str:
    return f"ord_{rng.getrandbits(ID_DIGITS):026x}"


def draw_order(rng: random.Random, language: str | None = None, strategy: str = "template") -> Order:
    language = language or rng.choice(LANGUAGES)
    return parse_order({
        "order_id": order_id(rng), "child_name": rng.choice(NAMES), "age": rng.randint(MIN_AGE, MAX_AGE),
        "language": language, "mentions": [rng.choice(list(CATALOG)), rng.choice(PARENT_WORDS[language])],
        "strategy": strategy,
    })


def draw_orders(count: int, seed: int, language: str | None = None, strategy: str = "template") -> list[Order]:
    rng = random.Random(seed)
    return [draw_order(rng, language, strategy) for _ in range(count)]


def script_of(order: Order, order_id: str | None = None):
    return write_script(order_id or order.order_id, order.child_name, order.spoken_name, order.age, order.language,
                        order.mentions)


def twin(order: Order, rng: random.Random, tries: int = 100_000) -> Order:
    """Another child (name and parent's words) whose script picks the phrasings `order`'s picks. Santa's
    phrasings follow the order id, the age and the kind of mention only, so an id that gives `order`'s own script
    gives the twin the same shared sentences."""
    said = script_of(order)
    for _ in range(tries):
        candidate = order_id(rng)
        if script_of(order, candidate) == said:
            break
    else:
        raise RuntimeError(f"no order id among {tries} picks the phrasings of {order.order_id}")
    *catalog, words = order.mentions
    to_the_child = addresses_the_child(words, order.language)
    alike = [other for other in PARENT_WORDS[order.language]
             if other != words and addresses_the_child(other, order.language) == to_the_child]
    fields = order.model_dump(exclude={"phonetic_name"})
    return parse_order({**fields, "order_id": candidate, "mentions": [*catalog, rng.choice(alike)],
                        "child_name": rng.choice([name for name in NAMES if name != order.child_name])})
