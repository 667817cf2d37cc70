"""The demand side: enterprises (SMEs), their technology demands, matches, inquiries and
deals, and saved searches."""

from enterprises.models.demands import DemandStatus, Match, MatchState, TechnologyDemand
from enterprises.models.enterprises import (
    Designation,
    Enterprise,
    EnterpriseMembership,
    SizeClass,
    SizeStandard,
)
from enterprises.models.inquiries import Deal, DeclineReason, Inquiry, InquiryStatus
from enterprises.models.searches import SavedSearch

__all__ = [
    "Deal",
    "DeclineReason",
    "DemandStatus",
    "Designation",
    "Enterprise",
    "EnterpriseMembership",
    "Inquiry",
    "InquiryStatus",
    "Match",
    "MatchState",
    "SavedSearch",
    "SizeClass",
    "SizeStandard",
    "TechnologyDemand",
]
