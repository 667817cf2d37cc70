"""The accounts API: ``auth_views`` (sign-up, verification, sign-in, passwords, me),
``token_views`` (API tokens), ``holder_views`` (holders and holder requests),
``invitation_views`` (enterprise invitations); ``urls`` mounts them under ``/api/v1/``."""
