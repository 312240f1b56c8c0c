"""What Santa says around the mentions, per language, several ways each (the order id chooses, so two siblings'
videos do not sound alike). Spanish lines never agree with the child's gender, which an order does not give."""

PHRASES = {
    "en": {
        "greeting": ["Ho ho ho! Hello, {name}!", "Ho ho ho! Merry Christmas, {name}!", "Well, hello there, {name}! Ho ho ho!",
                     "Ho ho ho! There you are, {name}!"],
        "intro": [
            "It's me, Santa Claus, and I'm talking to you all the way from the North Pole.",
            "This is Santa Claus, speaking to you from my workshop at the North Pole.",
            "Santa Claus here, with a message just for you from the North Pole.",
            "It's Santa Claus, calling from the North Pole. The reindeer say hello!",
        ],
        "age_one": ["I hear you are one year old now. How wonderful!", "You are one whole year old! What a special year."],
        "age_young": ["I hear you are {age} years old now. How wonderful!", "You are {age} now! My, how fast you are growing."],
        "age_older": ["I can hardly believe you are {age} years old already.", "You are {age} now, and growing up so well."],
        "lead_in": [
            "I have been reading my Nice List.",
            "My elves have told me all about you.",
            "Your page in my big book is one of my favourites.",
        ],
        # A mention the parent wrote to the child ("you shared your toys") reads on from these.
        "told_you": ["My elves told me that {mention}", "I also heard that {mention}", "A little bird told me that {mention}",
                     "And I know that {mention}"],
        # Any other mention ("helped her brother", "a red sled") is quoted as the note it is.
        "note": [
            "Someone who loves you wrote to me: “{mention}” I kept the note.",
            "A note about you says: “{mention}” I will remember that.",
            "Your family wrote to me: “{mention}” I wrote it in my book.",
        ],
        "picture_note": "Someone who loves you sent me a little picture message.",
        "closing": [
            "Keep being kind, and I will see you very soon. Merry Christmas, {name}!",
            "Remember, I am always cheering for you. Merry Christmas, {name}! Ho ho ho!",
            "Be good, have fun, and have a very merry Christmas, {name}!",
            "The reindeer and I can't wait for Christmas Eve. Merry Christmas, {name}!",
        ],
    },
    "es": {
        "greeting": ["¡Jo, jo, jo! ¡Hola, {name}!", "¡Jo, jo, jo! ¡Feliz Navidad, {name}!", "¡Hola, {name}! ¡Jo, jo, jo!",
                     "¡Jo, jo, jo! ¡Qué alegría verte, {name}!"],
        "intro": [
            "Soy Papá Noel y te hablo desde el Polo Norte.",
            "Te habla Papá Noel, desde mi taller en el Polo Norte.",
            "Aquí Papá Noel, con un mensaje para ti desde el Polo Norte.",
            "Soy Papá Noel, desde el Polo Norte. ¡Los renos te mandan saludos!",
        ],
        "age_one": ["Me han contado que ya tienes un año. ¡Qué maravilla!", "¡Ya tienes un añito! Qué año tan especial."],
        "age_young": ["Me han contado que ya tienes {age} años. ¡Qué maravilla!", "¡Ya tienes {age} años! Qué rápido estás creciendo."],
        "age_older": ["¡No puedo creer que ya tengas {age} años!", "¡Ya tienes {age} años! Cuánto has crecido."],
        "lead_in": [
            "He estado leyendo mi lista de niños buenos.",
            "Mis duendes me han hablado mucho de ti.",
            "Tu página de mi gran libro es de mis favoritas.",
        ],
        "told_you": ["Mis duendes me contaron que {mention}", "También me he enterado de que {mention}",
                     "Un pajarito me contó que {mention}", "Y sé que {mention}"],
        "note": [
            "Alguien que te quiere me escribió: «{mention}». Guardo la nota.",
            "Una nota sobre ti dice: «{mention}». Lo voy a recordar.",
            "Tu familia me escribió: «{mention}». Lo apunté en mi libro.",
        ],
        "picture_note": "Alguien que te quiere me mandó un mensaje con dibujitos.",
        "closing": [
            "Sigue portándote así de bien y muy pronto nos veremos. ¡Feliz Navidad, {name}!",
            "Recuerda que siempre estoy de tu lado. ¡Feliz Navidad, {name}! ¡Jo, jo, jo!",
            "Pórtate bien, diviértete mucho y que pases una Navidad muy feliz, {name}.",
            "Los renos y yo contamos los días para Nochebuena. ¡Feliz Navidad, {name}!",
        ],
    },
}
