"""The demo "Family & Friends Facilitator Training" course in Spanish.

The same course as ``courses/demo/family/``, module for module and block for block: same
builders, slugs, minutes, answers and scoring; only the text a person reads is in Spanish,
so the two trees can be walked side by side (the English pages are the source, the Spanish
ones their translation).
"""
from decimal import Decimal

from ..markup import Course, Lesson, Module, bullets, h2, p, reflect, tip, warning
from . import communication, wellbeing

RUNNING = Lesson(
    "Cómo llevar una reunión de Familia y Amigos",
    slug="running-family-meetings",
    minutes=20,
    body=[
        p(
            "Las reuniones de Familia y Amigos siguen la misma estructura que las demás "
            "reuniones de nuestra red: apertura, ronda inicial, una parte de trabajo y ronda "
            "de cierre. Algunas diferencias ayudan a que respondan bien a sus participantes.",
        ),
        h2("Mantener el foco en la persona participante"),
        p(
            "Es natural que las personas participantes dediquen tiempo a contar lo que ha hecho "
            "su ser querido. Escucha con empatía y después vuelve a centrar la conversación: "
            "«Suena agotador. ¿Qué te ayudaría esta semana?». Las herramientas actúan sobre lo "
            "que cada participante puede cambiar: sus propios pensamientos, sus acciones y su "
            "bienestar.",
        ),
        h2("La confidencialidad también protege a quien no está"),
        p(
            "Las personas de las que se habla no están en la sala. Recuerda al grupo que la "
            "confidencialidad también las protege a ellas: ni nombres, ni detalles que permitan "
            "identificarlas, y nada de lo dicho se repite fuera de la reunión. Invita a las "
            "personas participantes a describir las situaciones en términos generales.",
        ),
        h2("Desahogo y culpa"),
        p(
            "El enojo y el dolor necesitan su espacio, y un rato para desahogarse puede ser un "
            "alivio. Si la reunión se convierte en una larga lista de quejas, reconoce los "
            "sentimientos e invita al grupo a elegir una herramienta para probar. Cuestiona con "
            "delicadeza la culpa, tanto si apunta a otras personas como a la propia persona "
            "participante.",
        ),
        bullets(
            "Algunos temas útiles para la parte de trabajo:",
            "el autocuidado mientras un ser querido está en crisis;",
            "preparar una conversación usando la comunicación positiva;",
            "planificar un límite y mantenerlo;",
            "sobrellevar las fiestas y las reuniones familiares;",
            "qué decir a los niños y niñas o a otros familiares.",
        ),
        warning(
            "Cuando la seguridad está en riesgo",
            "Si una persona participante describe violencia, amenazas o un riesgo para un niño "
            "o una niña, habla con ella en privado después de la reunión y ayúdala a encontrar "
            "apoyo en su zona o a acudir a los servicios de emergencia.",
        ),
        tip(
            "Conoce el resto de la red",
            "Ten a mano los datos de reuniones para personas con conductas adictivas, para que "
            "las personas participantes puedan compartirlos si su ser querido los pide.",
        ),
        reflect(
            "¿Cómo volverías a centrar una reunión en sus participantes cuando la conversación "
            "lleva mucho tiempo girando en torno a seres queridos que no están presentes?"
        ),
    ],
)

FACILITATING = Module(
    "Facilitar una reunión de Familia y Amigos",
    slug="family-meetings",
    intro="En qué se diferencia una reunión de Familia y Amigos de otras reuniones, y cómo "
    "mantenerla centrada, confidencial y segura.",
    items=[RUNNING],
)

COURSE = Course(
    "Formación de facilitadores/as de Familia y Amigos",
    slug="family-and-friends-facilitator-training",
    summary="Aprende a facilitar reuniones para familiares y amigos de personas con conductas "
    "adictivas: autocuidado, comunicación positiva, límites y una reunión centrada y segura.",
    audience="Personas voluntarias y profesionales que quieren facilitar reuniones de Familia y "
    "Amigos.\nMuchas personas facilitadoras han acompañado a alguien cercano; no hace falta "
    "formación previa.",
    outcomes=[
        "Describir la experiencia de familiares y amigos sin culpas ni etiquetas.",
        "Explicar por qué el bienestar de las propias personas participantes va primero, y "
        "proponer pasos de autocuidado.",
        "Enseñar la comunicación positiva inspirada en CRAFT (Refuerzo Comunitario y "
        "Entrenamiento Familiar) y el uso de las consecuencias naturales.",
        "Ayudar a las personas participantes a planificar límites que puedan mantener.",
        "Mantener una reunión de Familia y Amigos centrada en sus participantes, confidencial "
        "y segura.",
    ],
    description=(
        "<p>Un curso breve para facilitadores/as de reuniones de Familia y Amigos. Puede "
        "hacerse en cualquier orden y se apoya en las herramientas del Programa de 4 Puntos "
        "que se enseñan en la formación principal para facilitadores/as.</p>"
        "<p>Cada lección dura unos 15 minutos y termina con una pregunta de reflexión "
        "privada. Después del módulo sobre comunicación y límites hay una breve evaluación "
        "para comprobar lo que sabes.</p>"
    ),
    estimated_hours=Decimal("3.0"),
    sequential=False,
    modules=[wellbeing.MODULE, communication.MODULE, FACILITATING],
    cover="family",
    # As in the English course: the empty "Final assessment" of earlier demo versions.
    retired_quizzes=("final-assessment",),
)
