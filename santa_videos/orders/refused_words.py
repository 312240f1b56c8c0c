"""What Santa will not say, beyond safetype's own English and Spanish packs: the rules we add where they fall short.

Patterns use safetype's syntax: `word` matches that whole word, `word*` any word starting with it, `(a|b)` either,
`x?` an optional word, spaces separate the words of a phrase. Words are matched after accents, case, look-alike
letters, leetspeak and repeated letters are folded (`Fúúck`, `sh1t`, `s h i t`), and only as whole words, so
"Scunthorpe", "cockatiel" and "computadora" pass. A word that has an innocent everyday meaning (tit the bird, cock
the rooster, zorra the fox, perra a dog, capullo a bud) is refused only inside a phrase that makes it an insult.
"""

INSULTS_EN = (
    "(idiot*|moron*|stupid|dumb|dumbass*|loser|losers|worthless|pathetic|imbecile*|retard*|scum|dick|dicks|"
    "prick|pricks|jerk|jerks|twat*|bitch*|cretin*|dimwit*|nitwit*|halfwit*|douche*)"
)
INSULTS_ES = (
    "(idiota*|imbecil*|estupido*|estupida*|tonto|tonta|tontos|tontas|inutil|basura|escoria|retrasado*|retrasada*|"
    "mongolo*|subnormal*|boludo*|boluda*|pelotudo*|pelotuda*|huevon*|huevona*|pendejo*|pendeja*|cabron*|cabrona*|"
    "gilipollas|zorra|puta|puto|mamon|mamona|capullo|capulla|cretino*|cretina*|tarado*|tarada*)"
)

def _pack(language: str, rules: list[tuple[str, str, str]]) -> dict:
    """A safetype pack from (id, category, pattern) rules; every match is refused, so severities do not matter."""
    return {
        "language": language,
        "boundary": "word",
        "rules": [
            {"id": f"santa.{language}.{rule_id}", "category": category, "severity": "high", "pattern": pattern}
            for rule_id, category, pattern in rules
        ],
    }


ENGLISH = _pack("en", [
    ("spellings", "profanity",
     "(phuck*|phuk*|fuk|fuks|fukk*|fukin*|fuking|fck|fcking|fckin|fcuk*|fvck*|fuq|fuqq*|shyt*)"),
    ("compounds", "profanity",
     "(dipshit*|batshit|apeshit|chickenshit*|dogshit|dammit|biatch*|biotch*|knobhead*|bellend*|tosser*|wanker*|"
     "dickwad*|dickface*|dickweed*|arseface*|asswipe*|butthole*)"),
    ("sexual", "sexual",
     "(sexy|sexier|sexiest|sexual*|boobs|titties|titty|tittie|blowjob*|handjob*|rimjob*|jizz*|cum|cumshot*|"
     "cumslut*|dildo*|orgasm*|masturbat*|jerkoff*|penis|penises|vagina|vaginas|clit|clitoris|erection*|"
     "pussy|pussies|milf|milfs|hentai|xxx|onlyfans|cunnilingus|fellatio|rape|raped|raping|rapist*|molest*|pedo|pedos|"
     "pedophil*|paedo*)"),
    ("sexual.acts", "sexual",
     "(big|huge|hard|suck|sucks|sucking|lick|licks|licking|touch|touches|touching) (my|his|her|your)? "
     "(cock|dick|penis|balls|boobs|tits|pussy)"),
    ("slurs", "hate",
     "(nigga*|niggaz|chink|chinks|gook|gooks|dyke|dykes|tranny|trannies|fag|fags|faggy|beaner*|paki|pakis|jap|japs|"
     "wop|wops|spastic*|spaz)"),
    ("insults", "harassment",
     "(idiot|idiots|idiotic|moron|morons|moronic|imbecile*|retard|retards|retarded|cretin*|dimwit*|nitwit*|"
     "halfwit*|numbskull*)"),
    ("insults.about", "harassment",
     "(you|u|ur|youre|is|are|was|were|s|re) (such)? (a|an)? (so|fucking|complete|total|absolute|big|fat|little|"
     f"stupid|real)? {INSULTS_EN}"),
    ("insults.names", "harassment", "(stupid|dumb|ugly|fat) (boy|girl|kid|child|brat|face|head|baby)"),
    ("shut.up", "harassment", "shut (up|it)"),
    ("hate.you", "harassment", "(hate|hates|hated) (you|u)"),
    ("to.hell", "harassment", "(go|burn|rot) (to|in) hell"),
])

SPANISH = _pack("es", [
    ("profanity", "profanity",
     "(mierd*|putamadre|putisim*|cojones|cojon|chingon*|pinche|pinches|culiao*|culiado*)"),
    ("me.cago", "profanity", "me cago en"),
    ("sexual", "sexual",
     "(sexo|sexual*|sexy|tetas|tetona*|tetudo*|tetuda*|follar|follando|follame|follarte|follaron|follamos|"
     "follada*|follador*|polla|pollas|pollon*|pene|penes|vagina*|masturba*|pajillero*|orgasmo*|"
     "mamada|mamadas|cachondo*|cachonda*|violador*|pedofil*)"),
    ("slurs", "hate", "(bollera|bolleras|travelo|travelos)"),
    ("insults", "harassment",
     "(idiota|idiotas|imbecil*|estupido|estupida|estupidos|estupidas|subnormal*|tarado*|tarada*|mongolo*|"
     "mongolic*|gilipollas|boludo*|boluda*|huevon*|cretino*|cretina*)"),
    ("insults.about", "harassment",
     "(es|son|era|eran|eres|sos|fue) (un|una|unos|unas)? (puto|puta|pinche|maldito|maldita|completo|completa|"
     f"gran|tremendo|tremenda|verdadero|verdadera)? {INSULTS_ES}"),
    ("shut.up", "harassment", "(callate|callaos|callese)"),
    ("hate.you", "harassment", "(te|os) odio"),
    ("to.hell", "harassment", "(vete|andate|idos) (a|al) (la)? (mierda|carajo|infierno)"),
])

# Words found inside longer words too ("motherfucker", "absofuckinglutely"): none has an innocent meaning.
EMBEDDED = {
    "language": "en",
    "boundary": "substring",
    "rules": [{"id": "santa.embedded.fuck", "pattern": "fuck", "category": "profanity", "severity": "high"}],
}

# In a name, a word counts only when it is a refused word exactly ("Wank" but not "Wankel", "Crap" but not
# "Crapanzano", "Milf" but not "Milford", "Jap" but not "Japp"), unless it starts with one of these (letters
# repeated or not), which no real name does but the few allowed below.
NAME_PREFIXES = (
    "fuck", "motherfuck", "shit", "cunt", "bitch", "whore", "cocksuck", "dickhead", "asshole", "pussy", "twat",
    "nigger", "nigga", "faggot", "slut", "bastard", "porn", "mierd", "cabron", "pendej", "chinga", "gilipoll",
)

# Real given names and surnames that are also refused words, from tables of real names in both languages (the US
# census lists, Spanish and English first and last names). A word written with a capital in a mention is judged
# as a name too ("primo Kike", "visited Mr Wankel").
NAMES_ALLOWED = (
    "kike", "marica", "dyke", "dykes", "wank", "wanker", "rape", "verga", "boluda", "mongolo", "beaner", "fuk",
    "moron", "shitij", "shitara", "shitov", "sluter", "slutsky", "slutzky", "bastardi",
)

# Told apart only by their accent, which the folding above removes: "coño" against "cono" (a cone).
ACCENTED = ("coño", "coños", "coñazo", "coñazos", "condón")
