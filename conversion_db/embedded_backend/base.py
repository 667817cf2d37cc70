"""Django's PostgreSQL backend, pointed at the embedded cluster on first use.

Everything about SQL is Django's own ``postgresql`` backend; only the connection
parameters differ: the host is the unix-socket directory of the embedded server, which
is started (or joined) the first time this process connects. See
``conversion_db.database`` for the cluster's life cycle.
"""

from typing import Any

from django.db.backends.postgresql import base

from conversion_db.database import EMBEDDED_USER, embedded_endpoint


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        params = super().get_connection_params()
        endpoint = embedded_endpoint(
            self.settings_dict["EMBEDDED_PG_DATA"],
            shared_buffers=self.settings_dict.get("EMBEDDED_PG_SHARED_BUFFERS"),
        )
        params["host"] = endpoint.host
        params["port"] = endpoint.port
        params["user"] = EMBEDDED_USER
        return params
