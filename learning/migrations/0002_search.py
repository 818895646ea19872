"""Search in learning entries (learning.search): the text search reads, and an index of it
in each database's own way. PostgreSQL: a GIN index on the `danish` full-text vector of
`search_document`. SQLite: an FTS5 table over `search_stems`, kept in step with the entries
by triggers, whatever writes them."""

from django.db import migrations, models

POSTGRESQL = [
    (
        "CREATE INDEX learning_entry_search_danish ON learning_entry "
        "USING gin (to_tsvector('danish'::regconfig, search_document))",
        "DROP INDEX IF EXISTS learning_entry_search_danish",
    ),
]
SQLITE = [
    (
        "CREATE VIRTUAL TABLE learning_entry_fts USING fts5("
        "search_stems, content='learning_entry', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 0')",
        "DROP TABLE IF EXISTS learning_entry_fts",
    ),
    (
        "CREATE TRIGGER learning_entry_fts_insert AFTER INSERT ON learning_entry BEGIN "
        "INSERT INTO learning_entry_fts(rowid, search_stems) VALUES (new.id, new.search_stems); "
        "END",
        "DROP TRIGGER IF EXISTS learning_entry_fts_insert",
    ),
    (
        "CREATE TRIGGER learning_entry_fts_delete AFTER DELETE ON learning_entry BEGIN "
        "INSERT INTO learning_entry_fts(learning_entry_fts, rowid, search_stems) "
        "VALUES ('delete', old.id, old.search_stems); "
        "END",
        "DROP TRIGGER IF EXISTS learning_entry_fts_delete",
    ),
    (
        "CREATE TRIGGER learning_entry_fts_update AFTER UPDATE ON learning_entry BEGIN "
        "INSERT INTO learning_entry_fts(learning_entry_fts, rowid, search_stems) "
        "VALUES ('delete', old.id, old.search_stems); "
        "INSERT INTO learning_entry_fts(rowid, search_stems) VALUES (new.id, new.search_stems); "
        "END",
        "DROP TRIGGER IF EXISTS learning_entry_fts_update",
    ),
]


def _statements(schema_editor, forwards):
    vendor = schema_editor.connection.vendor
    pairs = POSTGRESQL if vendor == "postgresql" else SQLITE if vendor == "sqlite" else []
    return [create for create, _drop in pairs] if forwards else [drop for _c, drop in pairs][::-1]


def index_create(apps, schema_editor):
    # What search reads, for the entries written before it (the model's save() keeps it after).
    from learning.search import document_of, stems_of

    Entry = apps.get_model("learning", "Entry")
    for entry in Entry.objects.all().iterator():
        entry.search_document = document_of(entry.title, entry.learned, entry.for_others)
        entry.search_stems = stems_of(entry.search_document)
        entry.save(update_fields=["search_document", "search_stems"])
    for statement in _statements(schema_editor, forwards=True):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "INSERT INTO learning_entry_fts(learning_entry_fts) VALUES ('rebuild')"
        )


def index_drop(apps, schema_editor):
    for statement in _statements(schema_editor, forwards=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("learning", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="entry",
            name="search_document",
            field=models.TextField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="entry",
            name="search_stems",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(index_create, index_drop),
    ]
