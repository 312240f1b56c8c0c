"""El catálogo en español: por clave, la etiqueta que muestra una tienda y lo que dice Papá Noel a un niño pequeño
(hasta seis años) y a uno mayor, de dos maneras cada uno. Sin género: sirve igual para niños y niñas.
`{name}` es el nombre."""

ENTRIES = {
    "helped_at_home": ("Ayudó en casa", [
        "He visto cómo ayudas en casa. ¡Unas manos pequeñas pueden hacer mucho!",
        "Mis duendes me contaron que ayudas muchísimo en casa. ¡Qué alegría me da!",
    ], [
        "Sé que este año has ayudado mucho en casa. Eso es lo que hace fuerte a una familia.",
        "Mis duendes vieron todo lo que has ayudado en casa, {name}. Estoy muy orgulloso de ti.",
    ]),
    "tidied_room": ("Mantuvo su habitación ordenada", [
        "Me han dicho que recoges tus juguetes sin ayuda. ¡Qué paso tan grande!",
        "Mis duendes me contaron que tu habitación está siempre recogida. ¡Muy bien!",
    ], [
        "Me han dicho que este año has tenido tu habitación ordenada sin que nadie te lo pidiera.",
        "Tener la habitación recogida no es fácil, y lo has conseguido. ¡Mis duendes no se lo creen!",
    ]),
    "kind_to_sibling": ("Trató con cariño a sus hermanos", [
        "He visto cuánto cariño das a tus hermanos. Eso me llena el corazón.",
        "Me han contado que cuidas a tu familia con mucho amor. ¡Lo he visto, {name}!",
    ], [
        "Sé que este año has cuidado de tus hermanos. Eso es un regalo de verdad.",
        "Ser amable en casa, incluso en los días difíciles, es algo muy especial. Tú lo has hecho.",
    ]),
    "shared_toys": ("Compartió con los demás", [
        "Te he visto compartir tus juguetes. ¡Compartir es de mis cosas favoritas!",
        "Mis duendes me contaron que sabes esperar tu turno y compartir. ¡Qué bonito!",
    ], [
        "Me han contado que este año has compartido mucho con los demás. El mundo necesita más de eso.",
        "Compartir lo que tienes es el verdadero espíritu de la Navidad, y a ti te sobra.",
    ]),
    "worked_hard_at_school": ("Se esforzó en el colegio", [
        "Me han dicho que aprendes muchísimas cosas nuevas en el cole. ¡Qué emocionante!",
        "Mis duendes me contaron que escuchas y te esfuerzas mucho en el cole. ¡Genial!",
    ], [
        "Sé que este año te has esforzado mucho en el colegio. Todo ese trabajo cuenta.",
        "Tus profes y mis duendes están de acuerdo: has dado lo mejor de ti. ¡Enhorabuena!",
    ]),
    "learned_to_read": ("Aprendió a leer", [
        "¡Me han dicho que estás aprendiendo a leer! Muy pronto podrás leer mis cartas.",
        "¡Ya sabes leer palabras, {name}! Mis duendes lo celebraron con aplausos.",
    ], [
        "Me han dicho que este año has aprendido a leer de verdad. Ahora todas las historias son tuyas.",
        "Leer abre todas las puertas, y ahora tienes la llave. Estoy muy orgulloso de ti.",
    ]),
    "learned_to_ride_a_bike": ("Aprendió a montar en bici", [
        "¡Me han dicho que ya montas en bici! ¡Zas, como mi trineo!",
        "Mis duendes te vieron pedalear en tu bici. ¡Qué valentía!",
    ], [
        "Me han dicho que este año aprendiste a montar en bici. Eso requiere práctica y valor.",
        "Aprender a montar en bici no es fácil, y lo intentaste hasta conseguirlo.",
    ]),
    "learned_to_swim": ("Aprendió a nadar", [
        "¡Me han dicho que ya sabes nadar! Chapoteas como una pequeña foca.",
        "Mis duendes me contaron que ya no te da miedo el agua. ¡Muy bien, {name}!",
    ], [
        "Me han dicho que este año aprendiste a nadar. Hizo falta mucho valor.",
        "Nadar cuesta esfuerzo, y no te rendiste. ¡Mis renos están impresionados!",
    ]),
    "brave_at_the_doctor": ("Fue valiente en el médico", [
        "Me han dicho que fuiste muy valiente en el médico. ¡Eso es muy importante!",
        "Mis duendes me contaron lo valiente que fuiste, aunque diera un poco de miedo.",
    ], [
        "Sé que este año fuiste valiente en el médico. Ser valiente es seguir adelante aunque cueste.",
        "Has afrontado algo difícil con mucho valor. Estoy muy orgulloso de ti, {name}.",
    ]),
    "made_a_new_friend": ("Hizo nuevos amigos", [
        "Me han dicho que este año has hecho nuevos amigos. ¡Con amigos todo es más divertido!",
        "Mis duendes me contaron que fuiste amable con alguien nuevo. Así empiezan las amistades.",
    ], [
        "Me han dicho que este año has hecho nuevos amigos. Los buenos amigos son un tesoro.",
        "Acercarse a alguien nuevo requiere valor y amabilidad, y tú tienes las dos cosas.",
    ]),
    "cared_for_a_pet": ("Cuidó de su mascota", [
        "Me han dicho que ayudas a cuidar a tu mascota. ¡Los animales saben cuándo se les quiere!",
        "Mis renos me contaron que tratas a los animales con mucho cariño. Les encanta.",
    ], [
        "Sé que este año has cuidado muy bien de tu mascota. Eso es ser responsable de verdad.",
        "Dar de comer y cuidar a un animal cada día es un trabajo duro, y lo has hecho.",
    ]),
    "tried_new_foods": ("Probó comidas nuevas", [
        "Me han dicho que has probado comidas nuevas, ¡hasta verduras! Mamá Noel está impresionada.",
        "Mis duendes me contaron que diste un mordisquito valiente a algo nuevo. ¡Hurra!",
    ], [
        "Me han dicho que este año has probado comidas nuevas. La curiosidad es algo maravilloso.",
        "Mamá Noel me contó que te atreviste a probar sabores nuevos. ¡Bien hecho!",
    ]),
    "slept_in_own_bed": ("Durmió en su propia cama", [
        "Me han dicho que ya duermes en tu propia cama. ¡Felices sueños!",
        "Mis duendes me contaron que duermes en tu cama como los mayores. ¡Qué bien!",
    ], [
        "Me han dicho que este año te has acostumbrado a dormir en tu cama. Muy bien.",
        "Dormir en tu propia cama requiere valor, y lo has encontrado. ¡Buenas noches, {name}!",
    ]),
    "practised_music": ("Practicó música", [
        "¡Me han dicho que te encanta hacer música! Mis duendes bailan cuando te oyen.",
        "Mis duendes me contaron que cantas y tocas con mucha alegría. ¡Qué sonido tan bonito!",
    ], [
        "Sé que este año has practicado tu música día tras día. Así crece el talento.",
        "En mi taller los duendes tararean tus canciones. ¡Sigue practicando, {name}!",
    ]),
    "good_at_sport": ("Se esforzó en el deporte", [
        "Te he visto correr, saltar y jugar de maravilla. ¡Cuánta energía!",
        "Mis duendes me contaron que juegas muy bien en equipo. ¡Muy bien!",
    ], [
        "Sé que este año has entrenado mucho. Ganes o pierdas, tu esfuerzo cuenta.",
        "Jugar bien en equipo importa tanto como marcar, y tú lo haces genial.",
    ]),
    "good_manners": ("Dijo por favor y gracias", [
        "Me han dicho que siempre dices por favor y gracias. ¡Qué buenos modales!",
        "Mis duendes me contaron que tienes unos modales preciosos. Eso hace sonreír a todos.",
    ], [
        "Este año me he fijado en tus buenos modales. Las palabras amables mejoran cada día.",
        "Decir por favor y gracias parece poca cosa, pero significa mucho. Y tú lo haces muy bien.",
    ]),
    "new_baby_in_the_family": ("Recibió a un bebé en la familia", [
        "Me han dicho que hay un bebé nuevo en tu familia, ¡y que lo cuidas de maravilla!",
        "Mis duendes me contaron con cuánto cariño ayudas con el bebé. Eso es muy especial.",
    ], [
        "Sé que hay un bebé nuevo en tu familia y que has tenido mucha paciencia y cariño.",
        "Tener un bebé en casa es un trabajo importante, y lo estás haciendo de maravilla.",
    ]),
    "started_school": ("Empezó en un colegio nuevo", [
        "Me han dicho que este año empezaste el cole. ¡Qué gran aventura!",
        "Mis duendes me contaron que fuiste muy valiente el primer día de cole. ¡Genial!",
    ], [
        "Sé que empezar en un colegio nuevo fue un gran cambio, y lo has llevado muy bien.",
        "Clases nuevas, caras nuevas, y te has enfrentado a todo con valor. Bien hecho, {name}.",
    ]),
    "made_art": ("Hizo dibujos y manualidades preciosos", [
        "Me han dicho que haces dibujos preciosos. ¡Me encantaría uno para mi taller!",
        "Mis duendes me contaron que tienes muchísimas ideas de colores. ¡Sigue creando!",
    ], [
        "Me han hablado de tus ideas creativas de este año. ¡Mis duendes podrían aprender de ti!",
        "Tus dibujos y manualidades tienen una imaginación maravillosa. No dejes nunca de crear.",
    ]),
    "helped_a_friend": ("Ayudó a un amigo", [
        "Me han dicho que ayudaste a un amigo que lo necesitaba. ¡Ese es el espíritu de la Navidad!",
        "Mis duendes me contaron que tienes un corazón de buen amigo. Me encanta.",
    ], [
        "Sé que este año has apoyado a un amigo. Un buen amigo vale más que el oro.",
        "Ayudar a un amigo cuando más importa es de lo más bonito que se puede hacer.",
    ]),
    "wish_bike": ("Desea una bici", [
        "Me han dicho que te encantaría una bici. ¡Lo he apuntado en mi gran libro!",
        "¿Una bici, dices? Mis duendes ya están sacando brillo a los timbres del taller.",
    ], [
        "Me han dicho que una bici nueva está en tu lista de deseos. Lo tengo apuntado.",
        "¡Una bici para vivir aventuras! Mis duendes ya lo han anotado.",
    ]),
    "wish_doll": ("Desea una muñeca", [
        "Me han dicho que te encantaría una muñeca. ¡Lo he apuntado en mi gran libro!",
        "¿Una muñeca para abrazar y cuidar? Mis duendes cosen tan rápido como pueden.",
    ], [
        "Me han dicho que una muñeca está en tu lista de deseos este año. Lo tengo apuntado.",
        "Mis duendes han anotado tu deseo de una muñeca. Les encanta ese trabajo.",
    ]),
    "wish_building_blocks": ("Desea bloques de construcción", [
        "¡Me han dicho que te encanta construir! Mis duendes están contando bloques ahora mismo.",
        "¿Bloques para construir? Lo he apuntado en mi gran libro.",
    ], [
        "Me han dicho que te encantaría un juego de construcción. ¡Qué ganas de ver lo que creas!",
        "Un juego de construcción está en tu lista, y mis duendes están encantados.",
    ]),
    "wish_books": ("Desea libros", [
        "Me han dicho que te encantan los cuentos. ¡Mamá Noel dice que los libros son el mejor regalo!",
        "¿Un libro para leer antes de dormir? Lo he apuntado en mi gran libro.",
    ], [
        "Me han dicho que te encantarían libros nuevos. Lo tengo apuntado.",
        "Los libros son de mis deseos favoritos. Mis duendes ya han anotado el tuyo.",
    ]),
    "wish_art_set": ("Desea pinturas y ceras", [
        "Me han dicho que te encantarían pinturas y ceras. ¡Qué dibujos tan bonitos harás!",
        "¿Ceras de colores para pintar? Mis duendes ya lo han anotado.",
    ], [
        "Me han dicho que un set de arte está en tu lista de deseos. Lo tengo apuntado.",
        "¡Pinturas y lápices para tu próxima obra maestra! Mis duendes ya lo han anotado.",
    ]),
    "wish_game": ("Desea un juego", [
        "Me han dicho que te encantaría un juego nuevo. ¡A mis duendes también les encantan!",
        "¿Un juego para jugar en familia? Lo he apuntado en mi gran libro.",
    ], [
        "Me han dicho que un juego nuevo está en tu lista de deseos. Lo tengo apuntado.",
        "Mis duendes han probado muchísimos juegos este año. El tuyo ya está anotado.",
    ]),
    "wish_surprise": ("Desea una sorpresa", [
        "Me han dicho que te encantaría una sorpresa. ¡Chis, mis duendes guardan el secreto!",
        "¿Una sorpresa? Entonces no te voy a contar nada. ¡Jo, jo, jo!",
    ], [
        "Me han dicho que has pedido una sorpresa. ¡Mis labios están sellados!",
        "Una sorpresa, pues. Mis duendes han prometido no decir ni una palabra.",
    ]),
    "wish_snow": ("Desea nieve en Navidad", [
        "Me han dicho que te gustaría que nevara. ¡Se lo pediré al Viento del Norte!",
        "¿Nieve para Navidad? Los copos de aquí ya están ensayando su baile.",
    ], [
        "Me han dicho que sueñas con una Navidad blanca. Hablaré con el Viento del Norte.",
        "La nieve es uno de mis deseos favoritos. ¡Veremos qué puede hacer el tiempo!",
    ]),
}
