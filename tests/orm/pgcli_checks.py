"""pgcli 3.5 against one server, through its own executor (PGExecute).

    pgcli_checks.py HOST PORT

pgcli reads the catalog at start-up for its completions (schemata, tables
and their columns, foreign keys, views, types, databases, functions): each
of those queries is a check, then a query and psql-style meta-commands
(pgspecial's \\dt, \\d TABLE, \\di). Prints one JSON object: check name ->
{"result": ...} or {"error": ...}; compare.py compares the answers of
Tessera and PostgreSQL 15. run.sh also drives the real `pgcli` program.
"""
import json
import sys

from pgcli.pgexecute import PGExecute
from pgspecial.main import PGSpecial

SCHEMA = """
CREATE TABLE cli_owners (id serial PRIMARY KEY, name varchar(40) NOT NULL UNIQUE);
CREATE TABLE cli_pets (id bigserial PRIMARY KEY, owner_id integer REFERENCES cli_owners (id),
                       name text NOT NULL, born date, weight numeric(6, 2));
CREATE INDEX cli_pets_owner ON cli_pets (owner_id);
CREATE VIEW cli_named_pets AS SELECT p.name, o.name AS owner FROM cli_pets p JOIN cli_owners o ON o.id = p.owner_id;
INSERT INTO cli_owners (name) VALUES ('Ann'), ('Bo');
INSERT INTO cli_pets (owner_id, name, born, weight) VALUES (1, 'Rex', '2020-02-29', 12.5), (2, 'Tom', NULL, 4);
"""
DROP = "DROP VIEW cli_named_pets; DROP TABLE cli_pets; DROP TABLE cli_owners;"


def ours(rows):
    """Completion metadata about this test's objects only (PostgreSQL 15 has
    more functions and databases than Tessera)."""
    return sorted(list(r) for r in rows if any(str(v).startswith("cli_") for v in r))


def run(executor, special, statement):
    out = []
    for title, cur, headers, status, _sql, success, _special in executor.run(statement, pgspecial=special):
        out.append([title, list(headers or []), [list(r) for r in cur] if cur is not None else None, status, success])
    return out


def main():
    executor = PGExecute(database="tessera", user="tessera", host=sys.argv[1], port=int(sys.argv[2]))
    special = PGSpecial()
    checks = {
        "schema": lambda: [r[-1] for r in run(executor, special, SCHEMA)],
        "search_path": lambda: executor.search_path(),
        "schemata": lambda: sorted(s for s in executor.schemata() if s == "public"),
        "tables": lambda: ours(executor.tables()),
        "table_columns": lambda: ours(executor.table_columns()),
        "foreignkeys": lambda: ours(executor.foreignkeys()),
        "views": lambda: ours(executor.views()),
        "view_columns": lambda: ours(executor.view_columns()),
        "datatypes": lambda: sorted(list(r) for r in executor.datatypes()),
        "databases": lambda: "tessera" in executor.databases(),
        "functions": lambda: len(list(executor.functions())) > 0,
        "select": lambda: run(executor, special, "SELECT name, born, weight FROM cli_pets ORDER BY id"),
        "\\dt": lambda: run(executor, special, "\\dt"),
        "\\d cli_pets": lambda: run(executor, special, "\\d cli_pets"),
        "\\di": lambda: run(executor, special, "\\di"),
        "\\dv": lambda: run(executor, special, "\\dv"),
        "drop": lambda: [r[-1] for r in run(executor, special, DROP)],
    }
    results = {}
    for name, check in checks.items():
        try:
            results[name] = {"result": json.loads(json.dumps(check(), default=str))}
        except Exception as e:  # noqa: BLE001 - every failure is a finding to report
            message = str(e).strip().splitlines()
            results[name] = {"error": type(e).__name__ + ": " + (message[0] if message else "")}
            executor.conn.rollback()
    print(json.dumps(results))


if __name__ == "__main__":
    main()
