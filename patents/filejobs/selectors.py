"""Reads of background file jobs: a user's own, newest first (index ``file_job_requester``);
one job for its requester, or for an operator."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from patents.models import FileJob
from patents.permissions import is_operator


def jobs_of(user: Any) -> QuerySet[FileJob]:
    """The user's own jobs (nobody else's, operators included), one query a page."""
    if not getattr(user, "is_authenticated", False):
        return FileJob.objects.none()
    return FileJob.objects.filter(requester=user)


def job_for(user: Any, pk: int) -> FileJob | None:
    """The job ``pk`` when ``user`` asked for it or is an operator; None otherwise (the API
    answers 404, as for any record the caller may not see)."""
    if not getattr(user, "is_authenticated", False):
        return None
    queryset = FileJob.objects.all() if is_operator(user) else jobs_of(user)
    return queryset.filter(pk=pk).first()
