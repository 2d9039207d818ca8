--
-- transactions: COMMIT, ROLLBACK and the aborted state as psql shows them
--
CREATE TABLE tx (id integer PRIMARY KEY, v text);
BEGIN;
INSERT INTO tx VALUES (1, 'kept');
COMMIT;
BEGIN;
INSERT INTO tx VALUES (2, 'discarded');
SELECT * FROM tx ORDER BY id;
ROLLBACK;
SELECT * FROM tx ORDER BY id;
BEGIN;
INSERT INTO tx VALUES (1, 'duplicate');
SELECT * FROM tx;
COMMIT;
SELECT * FROM tx ORDER BY id;
-- transaction control outside a transaction only warns
COMMIT;
ROLLBACK;
BEGIN;
BEGIN;
COMMIT;
DROP TABLE tx;
