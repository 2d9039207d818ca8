--
-- errors: what psql shows for failing statements (ERROR, LINE n, caret, DETAIL)
--
CREATE TABLE err_t (id integer PRIMARY KEY, name text NOT NULL, qty smallint);
INSERT INTO err_t VALUES (1, 'one', 1);
-- syntax errors point at the offending token
SELEC 1;
SELECT * FROM err_t WHERE;
SELECT id,
       name
  FROM err_t
 WHERE qty = = 1;
-- unknown names
SELECT * FROM no_such_table;
SELECT missing_column FROM err_t;
SELECT no_such_function(1);
-- constraint violations carry a DETAIL line
INSERT INTO err_t VALUES (1, 'dup', 1);
INSERT INTO err_t (id) VALUES (2);
-- data errors
SELECT 1 / 0;
INSERT INTO err_t VALUES (3, 'big', 40000);
SELECT 'abc'::integer;
SELECT id FROM err_t WHERE 1;
SELECT * FROM err_t;
DROP TABLE err_t;
