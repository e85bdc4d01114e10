"""Configuration from the environment (CONTRACT.md, "Configuration")."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from klachten.config import settings as project_settings
from klachten.config.env import env_bool, env_list


def test_sqlite_in_the_data_dir_is_the_default(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    database = project_settings._databases()["default"]
    assert database["ENGINE"] == "klachten.core.sqlite"  # Django's, with a quicker wait
    assert database["TEST"] == {"NAME": ":memory:"}  # tests in memory, as with Django's
    assert str(database["NAME"]).startswith(str(project_settings.DATA_DIR))
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_database_url_selects_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://kk:geheim@db.example:5433/klachten")
    database = project_settings._databases()["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.example",
        5433,
        "klachten",
    )
    assert "OPTIONS" not in database or "transaction_mode" not in database["OPTIONS"]


def test_email_url_configures_smtp(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "submission://user%40kg:p%23ss@mail.example")
    email = project_settings._email()
    assert email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert email["EMAIL_PORT"] == 587
    assert email["EMAIL_USE_TLS"] is True
    assert (email["EMAIL_HOST_USER"], email["EMAIL_HOST_PASSWORD"]) == ("user@kg", "p#ss")


def test_without_email_url_messages_are_written_to_the_data_dir(monkeypatch):
    monkeypatch.delenv("EMAIL_URL", raising=False)
    email = project_settings._email()
    assert email["EMAIL_FILE_PATH"] == project_settings.DATA_DIR / "mail"


def test_an_unknown_email_scheme_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "http://mail.example")
    with pytest.raises(ValueError, match="EMAIL_URL"):
        project_settings._email()


def test_redis_url_moves_the_queue_to_redis(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    huey = project_settings._huey()
    assert huey["huey_class"] == "huey.RedisHuey"
    assert huey["connection"] == {"url": "redis://127.0.0.1:6379/3"}
    monkeypatch.delenv("REDIS_URL")
    assert project_settings._huey()["huey_class"] == "klachten.core.queue.QueueHuey"


def test_the_sqlite_queue_commits_without_waiting_for_the_disk(tmp_path):
    """Issue #3: WAL with synchronous=NORMAL (1): safe against corruption, no fsync per
    wake-up; a lost wake-up costs nothing, the periodic runs deliver from the outbox."""
    from klachten.core.queue import QueueHuey

    queue = QueueHuey("klachten-test", filename=str(tmp_path / "queue.sqlite3"))

    @queue.task()
    def add(a: int, b: int) -> int:
        return a + b

    result = add(2, 3)
    connection = queue.storage.conn
    assert connection.execute("pragma synchronous").fetchone()[0] == 1
    assert connection.execute("pragma journal_mode").fetchone()[0] == "wal"
    task = queue.dequeue()
    assert task is not None
    queue.execute(task)
    assert result.get() == 5


def _python(code: str, tmp_path, **environment: str) -> str:
    """Run ``code`` in a fresh interpreter with the project's settings; its output."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(KLACHTEN_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="klachten.config.settings")
    env.update(environment)
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_redis_queue_really_works(tmp_path):
    """With REDIS_URL the worker's queue lives in the Redis on this machine."""
    code = """if True:
        import django; django.setup()
        from huey.contrib.djhuey import HUEY as queue
        from huey import RedisHuey
        assert isinstance(queue, RedisHuey), type(queue)

        @queue.task()
        def add(a, b):
            return a + b

        queue.flush()
        result = add(2, 3)
        task = queue.dequeue()
        queue.execute(task)
        print(result.get())
        queue.flush()
    """
    assert _python(code, tmp_path, REDIS_URL="redis://127.0.0.1:6379/15").strip() == "5"


def test_a_command_on_sqlite_loads_neither_redis_nor_psycopg(tmp_path):
    """Issue #10: Huey's storage module imports every driver it finds; a process that uses
    SQLite and the SQLite queue does not pay for loading Redis's and PostgreSQL's."""
    code = """if True:
        import sys, django; django.setup()
        from huey.contrib.djhuey import HUEY
        print(sorted(name for name in ("redis", "psycopg") if name in sys.modules))
    """
    assert _python(code, tmp_path).strip() == "[]"
    assert _python(code, tmp_path, REDIS_URL="redis://127.0.0.1:6379/15").strip() == "['redis']"


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("True", True), ("off", False), ("", False)]
)
def test_env_bool(monkeypatch, raw, value):
    monkeypatch.setenv("KK_FLAG", raw)
    assert env_bool("KK_FLAG", default=not value) is value


def test_env_bool_refuses_nonsense(monkeypatch):
    monkeypatch.setenv("KK_FLAG", "misschien")
    with pytest.raises(ValueError, match="KK_FLAG"):
        env_bool("KK_FLAG", default=False)


def test_env_list(monkeypatch):
    monkeypatch.setenv("KK_HOSTS", "a.example, b.example,,")
    assert env_list("KK_HOSTS", default=[]) == ["a.example", "b.example"]
    monkeypatch.delenv("KK_HOSTS")
    assert env_list("KK_HOSTS", default=["x"]) == ["x"]


def test_the_project_runs_in_amsterdam_time_and_dutch_first(settings):
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert settings.AUTH_USER_MODEL == "accounts.Staff"


def test_the_configured_database_is_the_one_in_use(db):
    """CI runs the suite twice: on SQLite and, with DATABASE_URL, on PostgreSQL."""
    import os

    from django.db import connection

    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_every_process_gets_a_small_database_cache_and_no_memory_map(tmp_path):
    """Issues #3 and #17 (item 4): the worker's and the web processes' memory stays flat in
    the size of the database: the same small page cache and no memory map for both."""
    probe = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'klachten.config.settings'; "
        "django.setup(); from django.db import connection; c = connection.cursor(); "
        "print(c.execute('pragma cache_size').fetchone()[0], "
        "c.execute('pragma mmap_size').fetchone()[0])"
    )

    def pragmas(role: str | None) -> list[int]:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "KLACHTEN_ROLE", "DJANGO_SETTINGS_MODULE"}
        }
        environment["KLACHTEN_DATA_DIR"] = str(tmp_path)
        if role:
            environment["KLACHTEN_ROLE"] = role
        out = subprocess.run(  # noqa: S603 - our own interpreter
            [sys.executable, "-c", probe], env=environment, capture_output=True, text=True
        )
        return [int(part) for part in out.stdout.split()]

    assert pragmas("worker") == [-2048, 0]
    assert pragmas(None) == [-2048, 0]


def test_the_worker_command_says_it_is_the_worker(monkeypatch):
    from klachten import cli

    monkeypatch.setenv("KLACHTEN_ROLE", "")
    monkeypatch.delenv("KLACHTEN_ROLE")
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: None)
    monkeypatch.setattr("klachten.core.schema.schema_update", lambda: False)

    cli.main(["worker"])

    assert os.environ["KLACHTEN_ROLE"] == "worker"


def test_the_tests_sqlite_database_is_in_memory(db):
    """The project's SQLite engine (``klachten.core.sqlite``) gets Django's in-memory test
    database, never a file beside the working directory."""
    from django.db import connection

    if connection.vendor == "sqlite":
        assert "mode=memory" in connection.settings_dict["NAME"]
