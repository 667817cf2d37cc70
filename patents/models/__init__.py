from patents.models.classification import IpcClass, TechField
from patents.models.regions import Region

__all__ = ["IpcClass", "Region", "TechField"]
