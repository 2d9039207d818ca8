"""Django 3.2 (django.db.backends.postgresql) against one server.

    django_checks.py HOST PORT

Configures Django standalone (USE_TZ=True, the apps contenttypes, auth and
tests/orm/shelf), runs `migrate` forward, ORM queries, and `migrate` back to
zero, in order, and prints one JSON object: check name -> {"result": ...} or
{"error": ...}. compare.py runs this against Tessera and against PostgreSQL
15 and compares the answers. A settings module can be configured once per
process, hence one process per server.
"""
import datetime
import decimal
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "tessera", "USER": "tessera",
                           "HOST": sys.argv[1], "PORT": sys.argv[2]}},
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "shelf"],
    USE_TZ=True, TIME_ZONE="UTC", DEFAULT_AUTO_FIELD="django.db.models.AutoField")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, connection, transaction  # noqa: E402
from django.db.models import Avg, Count, F, Max, Q, Sum  # noqa: E402
from plain_values import plain  # noqa: E402
from shelf.models import Book, Document, Publisher  # noqa: E402

UTC = datetime.timezone.utc




def migrate(*args):
    call_command("migrate", *args, verbosity=0, stdout=io.StringIO())


def tables():
    # Only this app's and Django's own: the other clients' tables may share the database.
    return sorted(t for t in connection.introspection.table_names() if t.startswith(("django_", "auth_", "shelf_")))


def constraints(table):
    """Django's introspection of a table: its constraints and indexes (names
    Django made from hashes are the same on both servers)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: {k: plain(v) for k, v in c.items() if k != "definition"} for name, c in found.items()}


def migrate_auth():
    migrate("auth")
    return tables()


def migrate_shelf_initial():
    migrate("shelf", "0001")
    return [tables(), constraints("shelf_book")]


def migrate_shelf_alter():
    # AddField with a default (ADD COLUMN ... DEFAULT, then DROP DEFAULT) and
    # AlterField of a varchar's length (ALTER COLUMN ... TYPE).
    migrate("shelf", "0002")
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(cursor, "shelf_book")
    return [[c.name, c.type_code, c.internal_size, c.null_ok, c.default] for c in columns]


def introspect_columns():
    with connection.cursor() as cursor:
        return {t: plain(connection.introspection.get_sequences(cursor, t)) for t in ("shelf_book", "shelf_publisher")}


def migrate_jsonfield():
    migrate("shelf", "0003")
    Document.objects.create(body={"tags": ["a", "b"], "n": 1})
    found = Document.objects.filter(body__n=1).values_list("body", flat=True)
    return plain(list(found))


def when(day, hour=12):
    return datetime.datetime(2024, 1, day, hour, 30, tzinfo=UTC)


def orm_create():
    acme = Publisher.objects.create(name="Acme", founded=1950)
    orbit = Publisher.objects.create(name="Orbit")
    Book.objects.create(publisher=acme, title="Alpha", pages=100, price=decimal.Decimal("10.50"),
                        published_at=when(1), summary="first")
    Book.objects.create(publisher=acme, title="Beta", pages=250, price=decimal.Decimal("20.00"),
                        published_at=when(2), in_print=False)
    Book.objects.create(publisher=orbit, title="Gamma", pages=400, price=decimal.Decimal("7.25"),
                        published_at=datetime.datetime(2024, 1, 3, 23, 0, tzinfo=datetime.timezone(
                            datetime.timedelta(hours=-5))))
    return [Publisher.objects.count(), Book.objects.count()]


def orm_filter_exclude():
    return [list(Book.objects.filter(pages__gte=200).order_by("title").values_list("title", flat=True)),
            list(Book.objects.exclude(in_print=False).order_by("-price").values_list("title", flat=True)),
            list(Book.objects.filter(Q(title__startswith="A") | Q(publisher__name="Orbit"))
                 .order_by("title").values_list("title", flat=True)),
            list(Book.objects.filter(title__icontains="ET").values_list("title", flat=True)),
            list(Book.objects.filter(published_at__date=datetime.date(2024, 1, 4)).values_list("title", flat=True))]


def orm_typed_values():
    return [plain([b.title, b.summary, b.pages, b.price, b.published_at, b.in_print, b.isbn])
            for b in Book.objects.order_by("title")]


def orm_select_related():
    return [[b.title, b.publisher.name, b.publisher.founded]
            for b in Book.objects.select_related("publisher").order_by("title")]


def orm_annotate_count():
    return plain(list(Publisher.objects.annotate(n=Count("books"), top=Max("books__price"))
                      .order_by("name").values_list("name", "n", "top")))


def orm_aggregate():
    return plain(Book.objects.aggregate(total=Sum("pages"), average=Avg("price"), latest=Max("published_at")))


def orm_update():
    changed = Book.objects.filter(publisher__name="Acme").update(price=F("price") + 1)
    return plain([changed, list(Book.objects.order_by("title").values_list("price", flat=True))])


def orm_atomic_savepoint():
    with transaction.atomic():
        Publisher.objects.create(name="Kept")
        try:
            with transaction.atomic():
                Publisher.objects.create(name="Dropped")
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
    return sorted(Publisher.objects.values_list("name", flat=True))


def orm_integrity_error():
    acme = Publisher.objects.get(name="Acme")
    try:
        with transaction.atomic():
            Book.objects.create(publisher=acme, title="Alpha", pages=1, price=1, published_at=when(5))
        return "created a duplicate"
    except IntegrityError as e:
        return [type(e).__name__, e.__cause__.pgcode, Book.objects.count()]


def orm_get_or_create():
    first = Publisher.objects.get_or_create(name="Tor", defaults={"founded": 1980})[1]
    second = Publisher.objects.get_or_create(name="Tor", defaults={"founded": 1999})[1]
    return [first, second, Publisher.objects.get(name="Tor").founded]


def orm_bulk_create():
    tor = Publisher.objects.get(name="Tor")
    made = Book.objects.bulk_create([Book(publisher=tor, title=f"Tor {i}", pages=i, price=i, published_at=when(10))
                                     for i in range(1, 21)])
    return [len(made), all(b.pk is not None for b in made), Book.objects.filter(publisher=tor).count()]


def orm_delete():
    deleted = Publisher.objects.filter(name="Acme").delete()
    return plain([deleted, Book.objects.count()])


def migrate_zero():
    migrate("shelf", "zero")
    migrate("auth", "zero")
    migrate("contenttypes", "zero")
    return tables()


CHECKS = [migrate_auth, migrate_shelf_initial, migrate_shelf_alter, introspect_columns, orm_create,
          orm_filter_exclude, orm_typed_values, orm_select_related, orm_annotate_count, orm_aggregate, orm_update,
          orm_atomic_savepoint, orm_integrity_error, orm_get_or_create, orm_bulk_create, orm_delete,
          migrate_jsonfield, migrate_zero]


def start_afresh():
    """A migration whose deferred SQL (indexes, foreign keys) fails leaves
    Django's atomic block open (its schema editor raises before closing it),
    on PostgreSQL too: drop that state and the connection, so the next check
    starts clean instead of failing for the one before it."""
    connection.needs_rollback = False
    connection.in_atomic_block = False
    connection.savepoint_ids = []
    connection.close()


def main():
    results = {}
    for check in CHECKS:
        try:
            results[check.__name__] = {"result": check()}
        except Exception as e:  # noqa: BLE001 - every failure is a finding to report
            cause = e.__cause__ or e
            message = str(cause).strip().splitlines()
            results[check.__name__] = {"error": type(e).__name__ + ": " + (message[0] if message else "")}
            start_afresh()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
