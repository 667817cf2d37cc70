"""What happened in accounts and memberships, for whoever wants to know (the notifications
app connects here). Each is sent once the transaction that made the change has committed,
with ``sender`` the model class and these keyword arguments:

- ``membership_requested(request: HolderRequest)``: a user asked to join a holder (its admin
  members and the operators decide);
- ``holder_registered(request: HolderRequest)``: a user registered a holder, which waits for
  an operator to verify it;
- ``holder_request_decided(request: HolderRequest, approved: bool, actor: User | None)``: a
  membership request or a registration was approved or refused (``request.reason`` says why);
- ``holder_verified(holder: Holder, actor: User | None)``: an operator verified a holder;
- ``invitation_sent(invitation: EnterpriseInvitation, actor: User | None)``: an enterprise
  admin invited an address;
- ``invitation_accepted(invitation: EnterpriseInvitation, user: User)``: its invitee joined.

The mails that must reach the person today are sent by ``accounts.mail`` whatever listens.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import Signal

membership_requested = Signal()
holder_registered = Signal()
holder_request_decided = Signal()
holder_verified = Signal()
invitation_sent = Signal()
invitation_accepted = Signal()


def send_on_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))
