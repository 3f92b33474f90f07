from casestudies.models.commitments import (
    Commitment,
    Completion,
    OpenedGovernment,
    PotentialImpact,
    Specificity,
)
from casestudies.models.pages import CaseStudyIndexPage, CaseStudyPage, CaseStudyStatus
from casestudies.models.reference import (
    PARTICIPATING_STATUSES,
    WGI_DIMENSIONS,
    Country,
    OGPStatus,
    Theme,
)
from casestudies.models.reforms import ReformRecord, ReformSource

__all__ = [
    "PARTICIPATING_STATUSES",
    "WGI_DIMENSIONS",
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CaseStudyStatus",
    "Commitment",
    "Completion",
    "Country",
    "OGPStatus",
    "OpenedGovernment",
    "PotentialImpact",
    "ReformRecord",
    "ReformSource",
    "Specificity",
    "Theme",
]
