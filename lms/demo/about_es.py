"""The site's own demo pages in Spanish.

``SLUG``, ``TITLE``, ``SEARCH_DESCRIPTION`` and ``BODY`` have the shape of ``about.py``
(the "About this training" page), block for block; the slug stays the English one, as it
identifies the translation. The home page and the course catalogue follow: their English
text is created by ``lms/migrations/0002_site_structure.py``.
"""
from courses.demo.markup import bullets, h2, key, p, warning

# --- "About this training" (``about.py``) ----------------------------------------------

SLUG = "about"
TITLE = "Sobre esta formación"
SEARCH_DESCRIPTION = (
    "Formación gratuita y a tu ritmo para facilitadores/as de reuniones de ayuda mutua "
    "basadas en la ciencia, y qué guardamos sobre ti (solo lo que la formación necesita)."
)

BODY = [
    p(
        "Este sitio forma a las personas que facilitan nuestras reuniones gratuitas de ayuda "
        "mutua basadas en la ciencia, para personas con conductas adictivas y para sus "
        "familiares y amigos. Las reuniones siguen el Programa de 4 Puntos: generar y mantener "
        "la motivación, afrontar los impulsos, manejar pensamientos, sentimientos y "
        "conductas, y llevar una vida equilibrada.",
    ),
    h2("A quién va dirigida la formación"),
    p(
        "A personas voluntarias, muchas de ellas personas que han cambiado su propia conducta "
        "adictiva, y a profesionales del tratamiento que organizan reuniones en su lugar de "
        "trabajo. No hace falta ninguna titulación previa. Los cursos se hacen a tu ritmo y "
        "funcionan tanto en el teléfono como en la computadora.",
    ),
    h2("Cómo funciona"),
    bullets(
        None,
        "Crea una cuenta gratuita y confirma tu dirección de correo electrónico.",
        "Inscríbete en un curso y avanza por sus lecciones a tu propio ritmo.",
        "Responde las preguntas de reflexión para ti: tus respuestas son privadas.",
        "Completa las evaluaciones para obtener un certificado de facilitador/a cuya "
        "autenticidad cualquiera puede comprobar.",
    ),
    h2("Tu privacidad"),
    key(
        "Solo guardamos lo que la formación necesita",
        "Tu dirección de correo electrónico para iniciar sesión, el nombre que quieres que "
        "aparezca en tus certificados, tu progreso y los resultados de tus evaluaciones. Tus "
        "reflexiones solo las ves tú.",
        "No guardamos ningún registro de las personas que asisten a las reuniones: ni "
        "nombres, ni listas de asistencia, ni historias.",
    ),
    warning(
        "Protege a las personas participantes",
        "Nunca escribas el nombre ni los datos de una persona participante en ningún lugar de "
        "este sitio, tampoco en tus reflexiones. Describe las situaciones en términos "
        "generales. La única excepción es un justificante de asistencia (más abajo), y aun "
        "así el nombre no se guarda.",
    ),
    h2("Justificantes de asistencia"),
    p(
        "A veces un juzgado o un agente de libertad condicional pide a una persona participante "
        "una prueba de que asistió a reuniones. Un/a facilitador/a certificado/a puede dar un "
        "justificante de asistencia a quien lo pida, y el agente puede comprobarlo en este "
        "sitio escribiendo su código y el nombre que aparece en él. Un justificante dice que "
        "la persona asistió, no cómo participó.",
    ),
    key(
        "Qué guardamos de un justificante y durante cuánto tiempo",
        "La reunión (su tipo, fecha y horario), el/la facilitador/a, el código del "
        "justificante, si el/la facilitador/a lo anuló, y una huella cifrada del nombre (un "
        "hash con clave): nos permite saber si el nombre que escribe un agente coincide, pero "
        "a partir de ella no se puede leer el nombre.",
        "Todo se elimina cuando el justificante deja de poder comprobarse: 12 meses después de "
        "la reunión, salvo que la red fije otro plazo. Después, la comprobación dice que no "
        "hay ningún justificante que coincida.",
        "Para los informes de la red solo guardamos números: cuántos justificantes hay cada "
        "mes, por tipo de reunión y por país.",
    ),
    key(
        "Qué no guardamos nunca",
        "El nombre de la persona participante, su correo electrónico, su teléfono o su "
        "dirección, su dirección de internet, ni nada de lo que escriba. El nombre solo existe "
        "mientras se hace el justificante y en el justificante que se le entrega; no está en "
        "nuestra base de datos, ni en nuestros registros, correos o archivos. Lo mismo vale "
        "para el nombre que escribe un agente al comprobar un justificante.",
    ),
    p(
        "Puedes pedir una copia de tus datos, o que se elimine tu cuenta, en cualquier momento: "
        "escribe al equipo de formación a la dirección que aparece al pie de cada página, o "
        "consulta la página de tu cuenta.",
    ),
]

# --- The home page and the course catalogue (``lms/migrations/0002_site_structure.py``) ---

HOME_TITLE = "Formación para facilitadores/as"
HOME_INTRO = (
    "<p>Formación gratuita y a tu ritmo para quienes quieren facilitar reuniones de "
    "recuperación: personas voluntarias, personas en recuperación y profesionales del "
    "tratamiento. Aprende el Programa de 4 Puntos, practica las herramientas y obtén un "
    "certificado de facilitador/a que cualquiera puede verificar.</p>"
)

CATALOGUE_TITLE = "Cursos"
CATALOGUE_INTRO = "<p>Elige un curso y avanza a tu propio ritmo.</p>"
