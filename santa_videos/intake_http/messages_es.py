"""The Spanish form of every message a customer can get from the intake, keyed by the English message as the code
writes it: `{name}` stands for a part that varies. Parts named `message` and `problems` are messages themselves
(translated in turn), `what` is a kind of refused word, `fields` a list of field names; the rest is shown as sent.

A message is `field: sentence`; the field is named with FIELDS. Adding a message to the code means adding it here:
test_landing_languages.py finds every message the code can raise and fails for one missing.
"""

FIELDS = {
    "order": "pedido",
    "order_id": "número de pedido",
    "child_name": "nombre",
    "age": "edad",
    "language": "idioma",
    "phonetic_name": "cómo se dice el nombre",
    "mentions": "menciones",
    "strategy": "estilo",
    "deadline": "fecha límite",
    "photo": "foto",
}

# santa_videos.orders.moderation.WHAT
WHAT = {
    "a swear word": "una palabrota",
    "a slur": "un término ofensivo",
    "an insult": "un insulto",
    "sexual content": "contenido sexual",
    "a word": "una palabra no permitida",
}

# Tried in this order: a specific sentence before a general one that would also match it.
MESSAGES = {
    # santa_videos.orders.model
    "must be text": "debe ser texto",
    "must be a list": "debe ser una lista",
    "is required": "es obligatorio",
    "is not a field of an order": "no es un campo de un pedido",
    "an order must be an object with fields such as child_name, age and language":
        "un pedido debe ser un objeto con campos como child_name, age y language",
    "contains a control or invisible character (U+{code}), which is not allowed":
        "contiene un carácter de control o invisible (U+{code}), que no está permitido",
    "must not be empty": "no puede estar vacío",
    "must be at most {limit} characters (got {count})": "debe tener como máximo {limit} caracteres (tiene {count})",
    "may only contain letters, spaces, apostrophes, hyphens and dots (found {found})":
        "solo puede tener letras, espacios, apóstrofos, guiones y puntos (tiene {found})",
    "must contain at least one letter": "debe tener al menos una letra",
    "must look like ord_ followed by 26 letters and digits, or be left out":
        "debe ser ord_ seguido de 26 letras y cifras, o no indicarse",
    "must be a whole number": "debe ser un número entero",
    "must be between {low} and {high} (got {value})": "debe estar entre {low} y {high} (se indicó {value})",
    "must be one of {choices} (got {value})": "debe ser uno de estos: {choices} (se indicó {value})",
    "must be a list of short sentences": "debe ser una lista de frases cortas",
    "may hold at most {limit} mentions (got {count})": "admite como máximo {limit} menciones (hay {count})",
    "must be a date like 2026-12-20 or a time like 2026-12-20T18:00:00Z (got {value})":
        "debe ser una fecha como 2026-12-20 o una hora como 2026-12-20T18:00:00Z (se indicó {value})",
    "is in the past": "ya ha pasado",
    "contains {what}, which Santa will not say": "contiene {what}, y Papá Noel no lo dirá",
    "mention {number} contains {what}": "la mención {number} contiene {what}",
    "{problems}, which Santa will not say": "{problems}: Papá Noel no lo dirá",
    "mention {number} {message}": "la mención {number} {message}",
    # santa_videos.script.checks
    "has characters the video cannot draw: {characters}; please write them another way":
        "tiene caracteres que el vídeo no puede dibujar: {characters}; escríbelos de otra manera",
    "{text} is not a catalog key (the catalog: GET /catalog or `santa-videos catalog`)":
        "{text} no es una clave del catálogo (el catálogo: GET /catalog o `santa-videos catalog`)",
    # santa_videos.intake_http.photos
    "must be at most {limit} MB (got {size} MB)": "debe ocupar como máximo {limit} MB (ocupa {size} MB)",
    "must have at most {limit} megapixels (got {width}x{height})":
        "debe tener como máximo {limit} megapíxeles (tiene {width}x{height})",
    "must be a JPEG or PNG image": "debe ser una imagen JPEG o PNG",
    "could not be read; the file looks damaged": "no se pudo leer; el archivo parece dañado",
    # santa_videos.orders.estimates
    "cannot be met even with no other order waiting; the earliest it could be ready is {time}":
        "no se puede cumplir aunque no hubiera ningún otro pedido en espera; lo antes que podría estar listo es {time}",
    # santa_videos.orders.queueing
    "{order_id} was finished and its data erased; send a new order without an order_id":
        "el pedido {order_id} ya se terminó y sus datos se borraron; envía un pedido nuevo sin order_id",
    "{order_id} was already sent with a different {fields}; nothing changed "
    "(send a new order without an order_id for a different video)":
        "el pedido {order_id} ya se envió con otro valor en {fields}; no ha cambiado nada "
        "(para otro vídeo, envía un pedido nuevo sin order_id)",
    # santa_videos.intake_http.app and limits
    "the {header} header is missing or wrong": "falta la cabecera {header} o no es correcta",
    "too many orders from this address; try again in {seconds} s":
        "demasiados pedidos desde esta dirección; vuelve a intentarlo dentro de {seconds} s",
    "the request is too large: at most {limit} bytes": "la petición es demasiado grande: como máximo {limit} bytes",
    "the body is not valid JSON ({detail})": "el cuerpo no es JSON válido ({detail})",
    "send the order as application/json or as a form (multipart/form-data)":
        "envía el pedido como application/json o como formulario (multipart/form-data)",
    "no order with id {order_id}": "no hay ningún pedido con el número {order_id}",
    "no delivered video with this id": "no hay ningún vídeo entregado con este número",
    "language must be one of {choices} (got {value})": "language debe ser uno de estos: {choices} (se indicó {value})",
    # santa_videos.intake_http.previews and santa_videos.previews
    "a name preview must be an object with child_name and language":
        "una escucha previa del nombre debe ser un objeto con child_name y language",
    "is not a field of a name preview": "no es un campo de una escucha previa del nombre",
    "too many name previews from this address; try again in {seconds} s":
        "demasiadas escuchas desde esta dirección; vuelve a intentarlo dentro de {seconds} s",
    "send the name preview as application/json": "envía la escucha previa del nombre como application/json",
    "Santa's voice cannot be reached right now; please try again in a few minutes":
        "Ahora mismo no se puede llegar a la voz de Papá Noel; vuelve a intentarlo dentro de unos minutos",
    "today's name previews have used their {cap} characters of speech; previews that were heard before still play, "
    "new ones can be made again in {seconds} s (after midnight UTC)":
        "las escuchas de hoy ya han usado sus {cap} caracteres de voz; las que ya se oyeron siguen sonando y se "
        "podrán hacer nuevas dentro de {seconds} s (después de medianoche UTC)",
    # santa_videos.intake_http.orders (the status page's reasons)
    "We could not finish this video yet. Our studio has been told and will make it again for you.":
        "Todavía no hemos podido terminar este vídeo. Nuestro estudio ya lo sabe y volverá a hacerlo para ti.",
    "The video is no longer kept here.": "El vídeo ya no se guarda aquí.",
}
