from patents.models.classification import IpcClass, IpcTermStatistic, TechField
from patents.models.holders import Holder, HolderMembership
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
    "Holder",
    "HolderMembership",
    "Holding",
    "IpcClass",
    "IpcTermStatistic",
    "LegalStatus",
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
