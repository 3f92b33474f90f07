from casestudies.models.commitments import (
    Commitment,
    Completion,
    OpenedGovernment,
    PotentialImpact,
    Specificity,
)
from casestudies.models.pages import CaseStudyIndexPage, CaseStudyPage, CaseStudyStatus
from casestudies.models.reference import WGI_DIMENSIONS, Country, Theme

__all__ = [
    "WGI_DIMENSIONS",
    "CaseStudyIndexPage",
    "CaseStudyPage",
    "CaseStudyStatus",
    "Commitment",
    "Completion",
    "Country",
    "OpenedGovernment",
    "PotentialImpact",
    "Specificity",
    "Theme",
]
