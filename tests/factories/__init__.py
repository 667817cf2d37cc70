"""factory_boy factories for the main models, each writing through the product's service.

Defaults describe one typical, valid record (see each module); a test names what matters
to it and leaves the rest. Records are made as the product makes them: ``actor`` is who
acts (``None``, the system, unless given), and the rules, computed fields and history are
the service's. Import from here and create with ``.create`` (typed as the model):
``from tests.factories import PatentFactory``, ``PatentFactory.create(holders=[holder_a])``.
"""

from tests.factories.enterprises import (
    DealFactory,
    DemandFactory,
    EnterpriseFactory,
    InquiryFactory,
    SavedSearchFactory,
)
from tests.factories.identifiers import application_number, publication_number, uscc
from tests.factories.licensing import LicenceRecordFactory, OfferFactory, PledgeFactory
from tests.factories.patents import HolderFactory, PatentFactory, current_holder
from tests.factories.users import (
    PASSWORD,
    EnterpriseMembershipFactory,
    HolderMembershipFactory,
    UserFactory,
)

__all__ = [
    "PASSWORD",
    "DealFactory",
    "DemandFactory",
    "EnterpriseFactory",
    "EnterpriseMembershipFactory",
    "HolderFactory",
    "HolderMembershipFactory",
    "InquiryFactory",
    "LicenceRecordFactory",
    "OfferFactory",
    "PatentFactory",
    "PledgeFactory",
    "SavedSearchFactory",
    "UserFactory",
    "application_number",
    "current_holder",
    "publication_number",
    "uscc",
]
