from patents.models.classification import IpcClass, TechField
from patents.models.holders import Holder, HolderMembership
from patents.models.patents import Holding, LegalStatus, Patent, PatentType
from patents.models.regions import Region

__all__ = [
    "Holder",
    "HolderMembership",
    "Holding",
    "IpcClass",
    "LegalStatus",
    "Patent",
    "PatentType",
    "Region",
    "TechField",
]
