"""The supply side's models, one module per sub-domain: the reference schemes
(classification, regions), holders, patents and their holdings, licensing, and the
background file jobs of exports and imports. This package is
their public API: import models from ``patents.models``."""

from patents.models.classification import IpcClass, IpcTermStatistic, TechField
from patents.models.events import EventEffect, EventType, LegalStatusEvent
from patents.models.holders import Holder, HolderMembership
from patents.models.jobs import FileJob, FileJobKind, FileJobStatus, FileJobTarget
from patents.models.licensing import (
    LicenceKind,
    LicenceRecord,
    LicensingOffer,
    OfferPatent,
    OfferStatus,
    OfferType,
    Pledge,
    PledgeStatus,
    PricingMode,
)
from patents.models.patents import Holding, LegalStatus, Patent, PatentType
from patents.models.regions import Region

__all__ = [
    "EventEffect",
    "EventType",
    "FileJob",
    "FileJobKind",
    "FileJobStatus",
    "FileJobTarget",
    "Holder",
    "HolderMembership",
    "Holding",
    "IpcClass",
    "IpcTermStatistic",
    "LegalStatus",
    "LegalStatusEvent",
    "LicenceKind",
    "LicenceRecord",
    "LicensingOffer",
    "OfferPatent",
    "OfferStatus",
    "OfferType",
    "Patent",
    "PatentType",
    "Pledge",
    "PledgeStatus",
    "PricingMode",
    "Region",
    "TechField",
]
