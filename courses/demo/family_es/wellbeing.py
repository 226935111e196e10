"""Module 1 of the Family & Friends course in Spanish: the family's experience and self-care.

Same structure, slugs and values as ``courses/demo/family/wellbeing.py``; only the text
a person reads is in Spanish.
"""
from ..markup import Lesson, Module, bullets, h2, key, p, reflect, tip, warning

IMPACT = Lesson(
    "Cuando alguien a quien quieres tiene una conducta adictiva",
    slug="impact-on-family",
    minutes=15,
    body=[
        p(
            "Los familiares y amigos de personas con conductas adictivas suelen llevar en "
            "silencio una carga muy pesada. Pueden sentir preocupación, enojo, culpa, miedo, "
            "vergüenza y amor, a veces todo en un mismo día. Quizá han puesto excusas por su "
            "ser querido, han asumido responsabilidades de más o han dejado de ver a sus "
            "amistades. "
            "Muchas de estas personas creen que deberían haber podido evitar el problema.",
        ),
        h2("Lo que ofrecen las reuniones de Familia y Amigos"),
        p(
            "Las reuniones de Familia y Amigos ofrecen a estas personas un lugar donde hablar "
            "con otras que las entienden, y donde aprender herramientas basadas en la ciencia "
            "para cuidarse y para relacionarse con su ser querido de maneras que tienen más "
            "probabilidades de ayudar. La reunión es para la persona participante: le sirve "
            "tanto si su ser querido está listo para cambiar como si no.",
        ),
        bullets(
            "Cada participante llega con esperanzas distintas:",
            "Algunas personas quieren que su ser querido acepte ayuda.",
            "Otras quieren sobrellevar mejor una situación que no cambia.",
            "Otras han decidido tomar distancia de la relación y buscan apoyo para hacerlo.",
            "Otras están en duelo, o rehaciendo su vida tras el final de una relación.",
        ),
        key(
            "La persona participante es el centro",
            "Mantén la conversación en quien está en la sala: sus sentimientos, sus decisiones "
            "y sus próximos pasos. Los relatos sobre su ser querido forman parte de eso, pero "
            "la reunión no puede cambiar a alguien que no está presente.",
        ),
        h2("Evitar las culpas"),
        p(
            "A veces las personas participantes llegan sintiéndose culpadas, o culpándose a sí "
            "mismas. Nuestro enfoque no busca culpables en ningún lado. Las conductas adictivas "
            "aparecen por muchas razones, y no las causaron los familiares. Al mismo tiempo, la "
            "familia puede tener una influencia real y positiva, que exploramos en el siguiente "
            "módulo.",
        ),
        tip(
            "Acoge sin etiquetas",
            "Evita llamar a nadie «codependiente» o «consentidor». Como otras etiquetas, estas "
            "pueden avergonzar a las personas y obstaculizar el cambio.",
        ),
        reflect(
            "Piensa en alguien que te importa y que está pasando por un momento difícil. ¿Qué "
            "sentimientos te despierta, y cuáles de ellos rara vez dices en voz alta?"
        ),
    ],
)

SELF_CARE = Lesson(
    "El autocuidado va primero",
    slug="self-care",
    minutes=15,
    body=[
        p(
            "Quienes apoyan a un ser querido a menudo dejan sus propias necesidades para el "
            "final durante meses o años. El agotamiento, dormir mal, el aislamiento y la "
            "preocupación constante hacen más difícil pensar con claridad y responder con "
            "calma. Cuidarse no es egoísmo: es lo que hace posible un apoyo que dure.",
        ),
        h2("Ámbitos del autocuidado"),
        bullets(
            None,
            "<strong>El cuerpo</strong>: el sueño, la comida, el movimiento y las citas médicas "
            "que quizá se han ido dejando.",
            "<strong>Los vínculos</strong>: personas con quienes se está a gusto, y "
            "conversaciones que no giran en torno a la conducta adictiva.",
            "<strong>El disfrute</strong>: actividades que traen placer o calma, planificadas "
            "en lugar de dejadas al azar.",
            "<strong>El apoyo</strong>: una reunión, terapia, una consulta médica o una "
            "amistad de confianza con quien hablar de lo que pasa.",
        ),
        h2("Usar las herramientas de los 4 Puntos para ti"),
        p(
            "Muchas herramientas del curso principal para facilitadores/as funcionan igual de "
            "bien para los familiares. Un análisis costo-beneficio puede ayudar a alguien a "
            "decidir si quiere cambiar su manera de responder a su ser querido. El modelo ABC "
            "puede sacar a la luz creencias como «Si vuelve a beber, es culpa mía» o «No "
            "soporto esto», que luego pueden cuestionarse. El equilibrio en el estilo de vida "
            "ayuda a recuperar partes de la vida a las que se había renunciado.",
        ),
        key(
            "Tú también importas",
            "El bienestar de la persona participante es un objetivo en sí mismo, no solo una "
            "forma de ayudar a su ser querido.",
        ),
        warning(
            "La seguridad, primero",
            "Si una persona participante tiene miedo de su ser querido, o está sufriendo daño, "
            "su seguridad va primero. Anímala a acudir a los servicios locales de atención a la "
            "violencia doméstica o de emergencias, y nunca sugieras técnicas de "
            "comunicación como forma de enfrentar el peligro.",
        ),
        tip(
            "Un pequeño paso",
            "En la ronda de cierre, invita a cada participante a nombrar un gesto de "
            "autocuidado que hará antes de la próxima reunión.",
        ),
        reflect(
            "Piensa en algo que dejaste de hacer por ti durante una época de estrés. ¿Qué "
            "necesitarías para retomarlo?"
        ),
    ],
)

MODULE = Module(
    "Comprender la experiencia de la familia",
    slug="family-experience",
    intro="Lo que viven los familiares y amigos, lo que les ofrece una reunión de Familia y "
    "Amigos, y por qué su propio bienestar va primero.",
    items=[IMPACT, SELF_CARE],
)
