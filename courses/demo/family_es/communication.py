"""Module 2 of the Family & Friends course in Spanish: positive communication and boundaries.

Same structure, slugs, question keys, answers and scoring as
``courses/demo/family/communication.py``; only the text a person reads is in Spanish.
"""
from ..markup import (
    Lesson, Module, Quiz, bullets, h2, key, multiple, p, reflect, right, short_text, single, steps,
    tip, true_false, warning, wrong,
)

POSITIVE = Lesson(
    "Comunicación positiva",
    slug="positive-communication",
    minutes=15,
    body=[
        p(
            "Las conversaciones sobre una conducta adictiva se convierten fácilmente en "
            "discusiones, silencios o súplicas. El Refuerzo Comunitario y Entrenamiento "
            "Familiar (CRAFT, por sus siglas en inglés) es un enfoque desarrollado y estudiado "
            "por investigadores para ayudar a los familiares a comunicarse de maneras que "
            "tengan más probabilidades de ser escuchadas. Nuestras reuniones de Familia y "
            "Amigos se inspiran en sus ideas.",
        ),
        h2("Principios de la comunicación positiva"),
        bullets(
            None,
            "<strong>Habla en positivo</strong>: di lo que te gustaría, no solo lo que no quieres. "
            "«Me encantaría salir a caminar contigo el domingo» en lugar de «Nunca haces nada "
            "conmigo».",
            "<strong>Habla de hechos concretos</strong>: describe una conducta en particular, "
            "no una forma de ser: «cuando llegaste tarde anoche» en lugar de «tú siempre…».",
            "<strong>Nombra tus sentimientos</strong>: «Sentí preocupación» es más fácil de "
            "escuchar que una acusación.",
            "<strong>Muestra comprensión</strong>: «Sé que el trabajo te ha traído mucho "
            "estrés».",
            "<strong>Asume tu parte cuando corresponda</strong>: «Sé que yo también he estado "
            "de mal humor».",
            "<strong>Ofrece ayuda</strong>: «¿Hay algo que pueda hacer?»",
        ),
        h2("El momento importa"),
        p(
            "Elige un momento tranquilo, cuando ninguna de las dos personas tenga prisa, esté "
            "enojada o bajo los efectos de una sustancia. Una conversación que empieza bien "
            "tiene muchas más probabilidades de ir bien.",
        ),
        tip(
            "Practica en la reunión",
            "Invita a las personas participantes a ensayar una frase que quieran decir, y deja "
            "que las demás propongan palabras más amables o más claras. Practicar en voz alta "
            "da confianza.",
        ),
        key(
            "Influir, no controlar",
            "Nadie puede obligar a otra persona a cambiar. La comunicación positiva puede "
            "mejorar la relación y aumentar la probabilidad de que un ser querido se plantee "
            "cambiar; no puede garantizarlo.",
        ),
        reflect(
            "Piensa en una conversación difícil que hayas tenido más de una vez. ¿Cómo podrías "
            "empezarla la próxima vez, usando uno o dos de estos principios?"
        ),
    ],
)

REWARDS = Lesson(
    "Favorecer el cambio: recompensas y consecuencias naturales",
    slug="rewards-and-consequences",
    minutes=15,
    body=[
        p(
            "Las personas tendemos a repetir lo que se recompensa. CRAFT propone que los "
            "familiares pueden hacer más gratificante el tiempo sin la conducta adictiva, y "
            "dejar de proteger a su ser querido de las consecuencias de esa conducta.",
        ),
        h2("Fijarse en los momentos positivos"),
        p(
            "Cuando un ser querido pasa una tarde sin la conducta, o da un paso hacia el "
            "cambio, el familiar puede mostrarle su aprecio: tiempo juntos, una comida "
            "favorita, una palabra cariñosa. Las recompensas no tienen que ser grandes; lo que "
            "importa es que lleguen después de la conducta que el familiar quiere ver más a "
            "menudo.",
        ),
        h2("Dejar que lleguen las consecuencias naturales"),
        p(
            "Por amor, los familiares a menudo rescatan a su ser querido de los problemas que "
            "causa la conducta: llaman a su trabajo con una excusa, pagan sus deudas, arreglan "
            "los desastres que deja. Dar un paso atrás, cuando es seguro hacerlo, permite que el ser "
            "querido viva esas consecuencias, y eso puede convertirse en un motivo para "
            "cambiar.",
        ),
        warning(
            "Solo cuando sea seguro",
            "Dar un paso atrás nunca debe poner a nadie en peligro. Las necesidades de los "
            "niños y niñas y la seguridad de todas las personas están por encima de cualquier "
            "estrategia.",
        ),
        h2("Invitar a buscar apoyo"),
        p(
            "Algunos familiares esperan que su ser querido pruebe una reunión o un tratamiento. "
            "Los buenos momentos suelen llegar cuando el ser querido está preocupado por los "
            "efectos de su conducta, o hace alguna pregunta sobre ella. Tener la información "
            "preparada facilita actuar cuando llega ese momento.",
        ),
        tip(
            "Ten una lista a mano",
            "Anima a las personas participantes a preparar con antelación una lista breve de "
            "reuniones y servicios, para poder ofrecerla con calma cuando llegue el momento "
            "adecuado.",
        ),
        reflect(
            "¿Qué momento positivo con alguien cercano podrías reconocer y agradecer esta semana?"
        ),
    ],
)

BOUNDARIES = Lesson(
    "Poner límites y mantenerlos",
    slug="boundaries",
    minutes=15,
    body=[
        p(
            "Un límite es una decisión sobre lo que harás y lo que no harás, para proteger tu "
            "bienestar y tus valores. Los límites tratan de las propias acciones de la persona "
            "participante, no de reglas impuestas a otra persona. Tampoco son castigos: un buen "
            "límite se puede explicar con calma y mantener con amabilidad, aunque a la otra "
            "persona no le guste.",
        ),
        h2("Límites, no ultimátums"),
        p(
            "«Deja de beber o verás» intenta controlar a la otra persona, y a menudo lleva a "
            "amenazas que nunca se cumplen. Un límite suena distinto: «Ya no voy a prestarte "
            "dinero». «Si llegas a casa bajo los efectos de alguna "
            "sustancia, pasaré la noche en casa de mi hermana». Quien lo pone puede "
            "mantenerlo haga lo que haga la otra persona.",
        ),
        h2("Cómo hacer que un límite funcione"),
        steps(
            "En una reunión, las personas participantes pueden planificar un límite:",
            "Nombrar el valor que protege, como la seguridad, la paz en casa o la estabilidad "
            "económica.",
            "Describir la acción que van a tomar, en una sola frase clara.",
            "Elegir un momento tranquilo para explicarlo, usando la comunicación positiva.",
            "Planificar cómo lo van a cumplir, y quién puede apoyarlas.",
            "Revisarlo al cabo de unas semanas: ¿está ayudando?",
        ),
        key(
            "Lo que más importa es cumplirlo",
            "Un límite que se anuncia pero no se cumple enseña a todo el mundo que no va en "
            "serio. Un límite pequeño que se cumple vale más que varios que no se cumplen.",
        ),
        tip(
            "Cuenta con que lo pongan a prueba",
            "Cuando alguien pone un límite nuevo, al principio los demás suelen presionar en "
            "su contra. Es normal, y por lo general pasa si el límite se mantiene con calma.",
        ),
        reflect(
            "¿Hay alguna situación en tu vida en la que un límite claro y amable protegería "
            "algo que valoras? ¿Qué dirías?"
        ),
    ],
)

CHECK = Quiz(
    "Comprueba lo que sabes: comunicación y límites",
    slug="communication-check",
    intro="<p>Cuatro preguntas sobre comunicación positiva, consecuencias naturales y límites. "
    "Después de cada intento verás qué respuestas eran correctas, con una breve explicación.</p>",
    pass_mark=75,
    questions=(
        single(
            "positive",
            "¿Qué forma de empezar sigue los principios de la comunicación positiva?",
            right(
                "«Sentí preocupación cuando llegaste tarde anoche. ¿Podemos hablarlo el "
                "domingo durante el desayuno?»",
                "Así es: es concreta, nombra un sentimiento y elige un momento tranquilo.",
            ),
            wrong(
                "«Siempre llegas tarde. Nunca piensas en nadie más».",
                "«Siempre» y «nunca» describen una forma de ser, no una conducta, e invitan a "
                "discutir.",
            ),
            wrong(
                "«Si de verdad te importara esta familia, lo dejarías».",
                "Una acusación es difícil de escuchar. Es mejor decir lo que te gustaría.",
            ),
            wrong(
                "«Tenemos que hablar ahora mismo, antes de que vuelvas a salir».",
                "El momento importa: elige un momento tranquilo, cuando ninguna de las dos "
                "personas tenga prisa ni esté alterada.",
            ),
            explanation="Habla en positivo y de hechos concretos, nombra tus sentimientos y elige "
            "un momento tranquilo.",
        ),
        true_false(
            "boundary",
            "Un límite es una regla que la persona participante obliga a cumplir a su ser "
            "querido.",
            False,
            explanation="Un límite trata de las propias acciones de la persona participante "
            "(«Ya no voy a prestarte dinero»), así que puede mantenerlo haga lo que haga la "
            "otra persona.",
        ),
        multiple(
            "consequences",
            "¿Cuáles de estas son formas de dejar que lleguen las consecuencias naturales, "
            "cuando es seguro hacerlo?",
            right("Dejar de llamar a su trabajo para dar una excusa"),
            right("Dejar de pagar las deudas que ha causado la conducta"),
            wrong(
                "Recordarle cada error que ha cometido",
                "Eso es crítica, no una consecuencia, y suele desatar discusiones.",
            ),
            wrong(
                "Amenazar con irse si no lo deja de inmediato",
                "Un ultimátum intenta controlar a la otra persona; un límite o una "
                "consecuencia natural no.",
            ),
            scoring="partial",
            points=2,
            explanation="Dejar de rescatar permite que el ser querido se encuentre con las "
            "consecuencias de su conducta, pero nunca a costa de la seguridad de nadie.",
        ),
        short_text(
            "craft",
            "Nuestras reuniones de Familia y Amigos se inspiran en un enfoque desarrollado y "
            "estudiado por investigadores para ayudar a los familiares a comunicarse de "
            "maneras que tengan más probabilidades de ser escuchadas. ¿Cómo se llama? (Basta "
            "con su sigla de cinco letras).",
            # One answer key across languages: the same accepted answers as the English.
            ["CRAFT", "Community Reinforcement and Family Training",
             "Community Reinforcement & Family Training",
             "Refuerzo Comunitario y Entrenamiento Familiar"],
            explanation="Refuerzo Comunitario y Entrenamiento Familiar (CRAFT, por sus siglas "
            "en inglés).",
        ),
    ),
)

MODULE = Module(
    "Comunicación positiva y límites",
    slug="communication-and-boundaries",
    intro="Formas de hablar, favorecer el cambio y poner límites, inspiradas en CRAFT "
    "(Refuerzo Comunitario y Entrenamiento Familiar), que protegen el bienestar de la propia "
    "persona participante.",
    items=[POSITIVE, REWARDS, BOUNDARIES, CHECK],
)
