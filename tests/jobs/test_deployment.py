"""Wherever the product runs, its job worker runs: ``manage.py serve`` starts one
(tests/test_serve.py), and docker-compose has a ``worker`` service beside ``web``; so does
its search indexer (an ``indexer`` service)."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_compose_runs_the_worker_with_the_webs_settings_once_web_has_migrated():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker, web = services["worker"], services["web"]

    assert worker["command"] == ["python", "manage.py", "procrastinate", "worker"]
    assert worker["environment"] == web["environment"]
    assert worker["depends_on"]["web"]["condition"] == "service_healthy"
    assert worker["depends_on"]["db"]["condition"] == "service_healthy"
    assert "ports" not in worker
    assert "healthz" not in " ".join(worker["healthcheck"]["test"])  # no HTTP in a worker


def test_compose_runs_the_search_indexer_on_the_index_the_web_reads():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    indexer, web = services["indexer"], services["web"]

    assert indexer["command"] == ["python", "manage.py", "index_search", "--follow"]
    assert indexer["environment"] == web["environment"]
    assert indexer["depends_on"]["web"]["condition"] == "service_healthy"  # migrated
    index_volume = "searchindex:/app/var/search"
    assert index_volume in indexer["volumes"]
    assert index_volume in web["volumes"]
    assert "ports" not in indexer


def test_the_image_holds_every_app_of_the_project():
    dockerfile = (ROOT / "Dockerfile").read_text()
    ours = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    assert set(ours) == {
        "conversion_db",
        "accounts",
        "notifications",
        "patents",
        "enterprises",
        "indicators",
    }
    for app in ours:
        assert f"COPY {app} ./{app}" in dockerfile, app


def test_the_pitr_override_only_adds_wal_archiving_to_the_database():
    override = yaml.safe_load((ROOT / "docker-compose.pitr.yml").read_text())
    assert set(override["services"]) == {"db"}
    command = override["services"]["db"]["command"]
    settings_given = dict(part.split("=", 1) for part in command[2::2])
    assert command[0] == "postgres"
    assert set(command[1::2]) == {"-c"}
    assert settings_given["wal_level"] == "replica"
    assert settings_given["archive_mode"] == "on"
    assert settings_given["archive_command"].startswith("test ! -f /wal-archive/%f")
    assert "walarchive:/wal-archive" in override["services"]["db"]["volumes"]
