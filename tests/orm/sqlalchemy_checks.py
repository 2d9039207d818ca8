"""SQLAlchemy 1.4 (Core and ORM, psycopg2 dialect) against one server.

    sqlalchemy_checks.py HOST PORT

Runs the checks below in order (each may rely on the ones before it) and
prints one JSON object: check name -> {"result": ...} or {"error": ...}.
compare.py runs this against Tessera and against PostgreSQL 15 and compares
the two answers check by check, so a result must be plain data that prints
the same for equal answers (types as their repr, rows as lists).
"""
import datetime
import decimal
import json
import sys

import sqlalchemy as sa
from sqlalchemy.orm import Session, declarative_base, relationship

from plain_values import plain

Base = declarative_base()


class Author(Base):
    __tablename__ = "sa_authors"
    __table_args__ = {"comment": "people who write books"}
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50), nullable=False, unique=True, comment="as printed on the cover")
    followers = sa.Column(sa.BigInteger)
    bio = sa.Column(sa.Text)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    books = relationship("Book", back_populates="author", order_by="Book.id")


class Book(Base):
    __tablename__ = "sa_books"
    id = sa.Column(sa.Integer, primary_key=True)
    author_id = sa.Column(sa.Integer, sa.ForeignKey("sa_authors.id", ondelete="CASCADE"), nullable=False, index=True)
    title = sa.Column(sa.String(100), nullable=False)
    price = sa.Column(sa.Numeric(10, 2))
    published = sa.Column(sa.Date)
    added = sa.Column(sa.DateTime)
    added_tz = sa.Column(sa.DateTime(timezone=True))
    rating = sa.Column(sa.Float)
    cover = sa.Column(sa.LargeBinary)
    author = relationship("Author", back_populates="books")
    __table_args__ = (
        sa.UniqueConstraint("author_id", "title", name="sa_books_author_title"),
        sa.Index("sa_books_price_rating", "price", "rating"),
        sa.CheckConstraint("price >= 0", name="sa_books_price_not_negative"),
    )


# Tessera has no json type: the JSON column lives in a table of its own so
# that the other models do not depend on it; its check is a known failure.
json_metadata = sa.MetaData()
json_table = sa.Table("sa_documents", json_metadata, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("body", sa.JSON))




def create_all(engine):
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    return sorted(Base.metadata.tables)


def table_names(engine):
    # Only this script's tables: the other clients' may share the database.
    return sorted(t for t in sa.inspect(engine).get_table_names() if t.startswith("sa_"))


def has_table(engine):
    insp = sa.inspect(engine)
    return [insp.has_table("sa_books"), insp.has_table("sa_no_such_table")]


def inspector(method):
    def check(engine):
        insp = sa.inspect(engine)
        out = {}
        for table in ("sa_authors", "sa_books"):
            found = getattr(insp, method)(table)
            if isinstance(found, list):
                found = sorted(found, key=lambda d: str(d.get("name")))
            out[table] = plain(found)
        return out
    check.__name__ = method
    return check


BOOKS = [
    dict(title="Dune", price=decimal.Decimal("9.99"), published=datetime.date(1965, 8, 1),
         added=datetime.datetime(2024, 1, 2, 3, 4, 5, 678000),
         added_tz=datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc), rating=4.5,
         cover=b"\x00\x01\xff"),
    dict(title="Children of Dune", price=decimal.Decimal("12.50"), published=datetime.date(1976, 4, 1),
         added=None, added_tz=datetime.datetime(2024, 6, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
         rating=3.25, cover=None),
]


def orm_add_commit(engine):
    with Session(engine) as session:
        herbert = Author(name="Frank Herbert", followers=2 ** 40, bio="Wrote Dune.")
        herbert.books = [Book(**b) for b in BOOKS]
        le_guin = Author(name="Ursula K. Le Guin", active=False)
        le_guin.books = [Book(title="The Dispossessed", price=decimal.Decimal("8.00"), rating=4.75)]
        session.add_all([herbert, le_guin])
        session.commit()
        return [herbert.id is not None, [b.id is not None for b in herbert.books]]


def orm_typed_values(engine):
    with Session(engine) as session:
        rows = session.query(Book).order_by(Book.title).all()
        return [plain([b.title, b.price, b.published, b.added, b.added_tz, b.rating, b.cover]) for b in rows]


def orm_filter_order_limit(engine):
    with Session(engine) as session:
        q = (session.query(Book.title, Book.price).filter(Book.price > 5, Book.title.like("%Dune%"))
             .order_by(Book.price.desc()).limit(1))
        return plain(q.all())


def orm_join(engine):
    with Session(engine) as session:
        q = (session.query(Author.name, sa.func.count(Book.id), sa.func.sum(Book.price))
             .join(Author.books).group_by(Author.name).order_by(Author.name))
        return plain(q.all())


def orm_relationship(engine):
    with Session(engine) as session:
        herbert = session.query(Author).filter_by(name="Frank Herbert").one()
        return [herbert.followers, herbert.active, [b.title for b in herbert.books],
                session.query(Book).filter_by(title="The Dispossessed").one().author.name]


def orm_update(engine):
    with Session(engine) as session:
        book = session.query(Book).filter_by(title="Dune").one()
        book.price = decimal.Decimal("10.99")
        changed = session.query(Book).filter(Book.rating < 4).update({Book.rating: Book.rating + 1},
                                                                     synchronize_session="fetch")
        session.commit()
        return plain([changed, session.query(Book.title, Book.price, Book.rating).order_by(Book.id).all()])


def orm_rollback(engine):
    with Session(engine) as session:
        session.add(Author(name="Nobody"))
        session.flush()
        inside = session.query(Author).count()
        session.rollback()
        return [inside, session.query(Author).count()]


def orm_unique_violation(engine):
    with Session(engine) as session:
        session.add(Author(name="Frank Herbert"))
        try:
            session.commit()
            return "committed"
        except sa.exc.IntegrityError as e:
            session.rollback()
            return [type(e.orig).__name__, e.orig.pgcode, session.query(Author).count()]


def orm_delete(engine):
    with Session(engine) as session:
        session.delete(session.query(Book).filter_by(title="Children of Dune").one())
        deleted = session.query(Book).filter(Book.rating > 100).delete(synchronize_session=False)
        session.commit()
        return [deleted, [t for (t,) in session.query(Book.title).order_by(Book.title)]]


def core_executemany(engine):
    books = Book.__table__
    with engine.begin() as conn:
        author_id = conn.execute(sa.select(Author.id).where(Author.name == "Ursula K. Le Guin")).scalar_one()
        conn.execute(books.insert(), [dict(author_id=author_id, title=f"Volume {i}", price=decimal.Decimal(i))
                                      for i in range(1, 51)])
    with engine.connect() as conn:
        return plain(conn.execute(sa.select(sa.func.count(), sa.func.sum(books.c.price))
                                  .where(books.c.title.like("Volume %"))).one())


def orm_bulk_returning(engine):
    # add_all of many objects: SQLAlchemy 1.4 with psycopg2 batches these
    # INSERT ... RETURNING id through execute_values.
    with Session(engine) as session:
        authors = [Author(name=f"Author {i:03}", followers=i) for i in range(40)]
        session.add_all(authors)
        session.commit()
        ids = [a.id for a in authors]
        return [len(set(ids)), ids == sorted(ids)]


def orm_bulk_save_objects(engine):
    with Session(engine) as session:
        session.bulk_save_objects([Author(name=f"Bulk {i}", active=False) for i in range(25)])
        session.commit()
        return session.query(Author).filter(Author.name.like("Bulk %")).count()


def core_upsert(engine):
    from sqlalchemy.dialects.postgresql import insert
    authors = Author.__table__
    stmt = insert(authors).values(name="Frank Herbert", active=True, bio="again")
    stmt = stmt.on_conflict_do_update(index_elements=["name"], set_=dict(bio=stmt.excluded.bio))
    with engine.begin() as conn:
        conn.execute(stmt)
        return conn.execute(sa.select(authors.c.bio).where(authors.c.name == "Frank Herbert")).scalar_one()


def core_cascade_delete(engine):
    with engine.begin() as conn:
        conn.execute(sa.delete(Author.__table__).where(Author.name == "Ursula K. Le Guin"))
        return conn.execute(sa.select(sa.func.count()).select_from(Book.__table__)).scalar_one()


def json_column(engine):
    json_metadata.drop_all(engine)
    json_metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(json_table.insert(), [dict(body={"a": [1, 2], "b": None})])
        found = conn.execute(sa.select(json_table.c.body)).scalar_one()
    json_metadata.drop_all(engine)
    return plain(found)


def drop_all(engine):
    Base.metadata.drop_all(engine)
    return table_names(engine)


def sequence_names(engine):
    return sorted(n for n in sa.inspect(engine).get_sequence_names() if n.startswith("sa_"))


def table_comment(engine):
    return sa.inspect(engine).get_table_comment("sa_authors")


def check_violation(engine):
    with Session(engine) as session:
        author = session.query(Author).filter_by(name="Frank Herbert").one()
        session.add(Book(author=author, title="Negative", price=decimal.Decimal("-1")))
        try:
            session.commit()
            return "committed"
        except sa.exc.IntegrityError as e:
            session.rollback()
            return [type(e.orig).__name__, e.orig.pgcode]


def error_fields(engine):
    """What a violation names besides its message (PostgreSQL's schema, table,
    column and constraint fields), which applications map to their own errors."""
    out = []
    for name, price in (("Frank Herbert", "1"), ("Someone else", "-1")):
        with Session(engine) as session:
            author = session.query(Author).filter_by(name="Frank Herbert").one()
            if name == "Frank Herbert":
                session.add(Author(name=name))
            else:
                session.add(Book(author=author, title="Negative", price=decimal.Decimal(price)))
            try:
                session.commit()
                out.append("committed")
            except sa.exc.IntegrityError as e:
                session.rollback()
                d = e.orig.diag
                out.append([e.orig.pgcode, d.schema_name, d.table_name, d.column_name, d.constraint_name])
    return out


CHECKS = [create_all, table_names, has_table, sequence_names, table_comment] + [
    inspector(m) for m in ("get_columns", "get_pk_constraint", "get_foreign_keys", "get_indexes",
                           "get_unique_constraints", "get_check_constraints")
] + [orm_add_commit, orm_typed_values, orm_filter_order_limit, orm_join, orm_relationship, orm_update,
     orm_rollback, orm_unique_violation, check_violation, error_fields, orm_delete, core_executemany, orm_bulk_returning, orm_bulk_save_objects,
     core_upsert, core_cascade_delete, json_column, drop_all]


def main():
    engine = sa.create_engine(f"postgresql+psycopg2://tessera@{sys.argv[1]}:{sys.argv[2]}/tessera", future=True)
    results = {}
    for check in CHECKS:
        try:
            results[check.__name__] = {"result": check(engine)}
        except Exception as e:  # noqa: BLE001 - every failure is a finding to report
            message = str(getattr(e, "orig", None) or e).strip().splitlines()
            results[check.__name__] = {"error": type(e).__name__ + ": " + (message[0] if message else "")}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
