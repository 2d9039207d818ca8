--
-- ddl_dml: tables, indexes, inserts, updates and deletes as psql prints them
--
CREATE TABLE inventory (
    id integer PRIMARY KEY,
    item text NOT NULL,
    qty integer DEFAULT 0,
    price numeric(8,2)
);
CREATE TABLE IF NOT EXISTS inventory (id integer);
INSERT INTO inventory VALUES (1, 'bolt', 100, 0.25), (2, 'nut', 250, 0.10);
INSERT INTO inventory (id, item) VALUES (3, 'washer');
SELECT * FROM inventory ORDER BY id;
CREATE INDEX inventory_item ON inventory (item);
UPDATE inventory SET qty = qty + 5 WHERE item = 'washer' RETURNING *;
UPDATE inventory SET price = price * 2 WHERE price IS NOT NULL;
SELECT item, qty, price FROM inventory ORDER BY item;
DELETE FROM inventory WHERE qty > 200 RETURNING id, item;
INSERT INTO inventory SELECT id + 10, item || '-copy', qty, price FROM inventory;
SELECT count(*), sum(qty), max(price) FROM inventory;
TRUNCATE inventory;
SELECT count(*) FROM inventory;
DROP INDEX inventory_item;
DROP TABLE inventory;
DROP TABLE IF EXISTS inventory;
