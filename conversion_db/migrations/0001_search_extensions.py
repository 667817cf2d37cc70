"""PostgreSQL extensions that search needs.

pg_trgm: trigram indexes for substring search in titles and names;
unaccent: accent-insensitive English matching;
btree_gin: scalar columns inside multi-column GIN indexes (filters beside text search).
All three are trusted extensions, so a database owner without superuser can create them.
"""

from django.contrib.postgres.operations import (
    BtreeGinExtension,
    TrigramExtension,
    UnaccentExtension,
)
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [TrigramExtension(), UnaccentExtension(), BtreeGinExtension()]
