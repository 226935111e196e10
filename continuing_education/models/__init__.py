from .approvals import AccreditingBody, Approval, ApprovalReminder, CourseApproval
from .certificates import CECertificate, CECertificateEvent
from .checks import CECheck
from .evaluations import EvaluationPage, EvaluationResponse, EvaluationSubmission
from .licences import ProfessionalLicence

__all__ = [
    "AccreditingBody",
    "Approval",
    "ApprovalReminder",
    "CECertificate",
    "CECertificateEvent",
    "CECheck",
    "CourseApproval",
    "EvaluationPage",
    "EvaluationResponse",
    "EvaluationSubmission",
    "ProfessionalLicence",
]
