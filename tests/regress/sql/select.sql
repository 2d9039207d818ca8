--
-- select: result tables as psql formats them (alignment, NULLs, empty results)
--
CREATE TABLE city (name text PRIMARY KEY, country text, population integer, area real);
INSERT INTO city VALUES
    ('Oslo', 'Norway', 709037, 454),
    ('Bergen', 'Norway', 286930, 465.3),
    ('Lima', 'Peru', 9751000, 2672.3),
    ('Cusco', 'Peru', NULL, NULL);
SELECT * FROM city ORDER BY name;
SELECT country, count(*) AS cities, sum(population) AS people
  FROM city GROUP BY country ORDER BY country;
SELECT name FROM city WHERE population > 10000000;
SELECT DISTINCT country FROM city ORDER BY country DESC LIMIT 1;
SELECT name, coalesce(population, 0) AS population, upper(substr(country, 1, 3)) AS code
  FROM city ORDER BY population DESC NULLS LAST OFFSET 1;
SELECT c1.name, c2.name AS neighbour
  FROM city c1 JOIN city c2 ON c1.country = c2.country AND c1.name < c2.name
 ORDER BY 1;
SELECT 1 AS one, NULL AS nothing, 'text' AS t, 2.50 AS num, true AS flag;
SELECT * FROM generate_series(1, 3) AS g;
DROP TABLE city;
