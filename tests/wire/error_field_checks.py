"""The object fields of ErrorResponse (schema 's', table 't', column 'c',
data type 'd', constraint 'n') as drivers expose them: psycopg2's
`Diagnostics`, which Django and SQLAlchemy users read to tell which
constraint failed. For test_wire.py, which compares each check's answers
with PostgreSQL 15's.
"""

HOST = "127.0.0.1"

SETUP = [
    "DROP TABLE IF EXISTS wire_ef_child",
    "DROP TABLE IF EXISTS wire_ef_parent",
    "CREATE TABLE wire_ef_parent (id integer PRIMARY KEY, code text NOT NULL, qty integer CHECK (qty > 0))",
    "CREATE UNIQUE INDEX wire_ef_parent_code ON wire_ef_parent (code)",
    "CREATE TABLE wire_ef_child (id integer PRIMARY KEY, "
    "parent integer CONSTRAINT wire_ef_child_fk REFERENCES wire_ef_parent (id))",
    "INSERT INTO wire_ef_parent VALUES (1, 'a', 1), (2, 'b', NULL)",
    "INSERT INTO wire_ef_child VALUES (10, 1), (12, 1)",
]

# Each statement fails; what the driver reports about it is compared.
FAILING = [
    "INSERT INTO wire_ef_parent VALUES (1, 'z', 1)",                      # 23505 primary key
    "INSERT INTO wire_ef_parent VALUES (3, 'a', 1)",                      # 23505 unique index
    "UPDATE wire_ef_parent SET id = 2 WHERE id = 1",                      # 23505 on update
    "INSERT INTO wire_ef_parent VALUES (3, NULL, 1)",                     # 23502
    "INSERT INTO wire_ef_parent (code) VALUES ('q')",                     # 23502 on the key
    "INSERT INTO wire_ef_parent VALUES (3, 'c', 0)",                      # 23514
    "INSERT INTO wire_ef_child VALUES (11, 99)",                          # 23503 from the child
    "DELETE FROM wire_ef_parent WHERE id = 1",                            # 23503 from the parent
    "ALTER TABLE wire_ef_parent ADD CONSTRAINT wire_ef_qty_small CHECK (qty < 1)",  # 23514 validating
    "ALTER TABLE wire_ef_parent ALTER COLUMN qty SET NOT NULL",           # 23502 validating
    "CREATE UNIQUE INDEX wire_ef_dup ON wire_ef_child (parent)",          # 23505 building
    "SELECT 1/0",                                                         # none of the fields
    "SELECT * FROM wire_ef_missing",                                      # none of the fields
]


def constraint_violation_fields(port):
    """Each failing statement's SQLSTATE and the five object fields, as
    psycopg2 reports them."""
    import psycopg2
    conn = psycopg2.connect(host=HOST, port=port, user="tessera", dbname="tessera", connect_timeout=10)
    conn.autocommit = True
    out = []
    try:
        cur = conn.cursor()
        for sql in SETUP:
            cur.execute(sql)
        for sql in FAILING:
            try:
                cur.execute(sql)
                out.append((sql, "no error"))
            except psycopg2.Error as e:
                d = e.diag
                out.append((sql, e.pgcode, d.schema_name, d.table_name, d.column_name, d.datatype_name,
                            d.constraint_name))
        cur.execute("DROP TABLE wire_ef_child")
        cur.execute("DROP TABLE wire_ef_parent")
    finally:
        conn.close()
    return out


CHECKS = [constraint_violation_fields]
