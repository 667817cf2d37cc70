#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import signal
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conversion_db.settings")
    # Turn SIGTERM into a normal exit so exit hooks run (the embedded PostgreSQL is
    # stopped by the last process that used it).
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from django.core.management import execute_from_command_line

    if sys.argv[1:2] == ["runserver"] and os.environ.get("RUN_MAIN") != "true":
        # The reloader parent keeps the embedded PostgreSQL up across reloads.
        import django

        django.setup()
        from conversion_db.database import hold_embedded_cluster

        hold_embedded_cluster()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
