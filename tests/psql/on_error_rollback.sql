-- psql's ON_ERROR_ROLLBACK: psql wraps each statement of a block in
-- SAVEPOINT pg_psql_temporary_savepoint / RELEASE, and rolls back to it
-- when the statement fails, so the block goes on and commits the rest.
\set ON_ERROR_ROLLBACK on
BEGIN;
INSERT INTO customers VALUES (100, 'kept', 'kept@example.com', 1);
INSERT INTO customers VALUES (100, 'duplicate', 'dup@example.com', 2);
INSERT INTO customers VALUES (101, 'also kept', 'also@example.com', 3);
SELECT 1/0;
UPDATE customers SET score = score + 10 WHERE id >= 100;
COMMIT;
SELECT id, name, score FROM customers WHERE id >= 100 ORDER BY id;
DELETE FROM customers WHERE id >= 100;
