// End-to-end SQL through the Session interface: DDL, INSERT, SELECT with
// WHERE/joins/aggregates/ORDER BY/LIMIT, UPDATE, DELETE.
#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

class DmlTest : public SqlTest {};

TEST_F(DmlTest, CreateInsertSelect) {
  EXPECT_EQ(Tag("CREATE TABLE t (id int PRIMARY KEY, v text)"), "CREATE TABLE");
  EXPECT_EQ(Tag("INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, 'c')"), "INSERT 0 3");
  EXPECT_EQ(Query("SELECT id, v FROM t WHERE id < 3 ORDER BY id"), (Rows{"1|a", "2|b"}));
  EXPECT_EQ(last_.tags_.back(), "SELECT 2");
  ASSERT_EQ(last_.columns_.size(), 2u);
  EXPECT_EQ(last_.columns_[0].name, "id");
  EXPECT_EQ(last_.columns_[0].type.id, TypeId::kInt4);
  EXPECT_EQ(last_.columns_[0].column_number, 1);
  EXPECT_EQ(Query("SELECT * FROM t WHERE id = 2"), (Rows{"2|b"}));
}

TEST_F(DmlTest, SelectWithoutFrom) {
  EXPECT_EQ(Query("SELECT 1 + 2, 'x'::text, NULL IS NULL"), (Rows{"3|x|t"}));
  EXPECT_EQ(last_.columns_[0].name, "?column?");
  EXPECT_EQ(last_.columns_[1].name, "text");
}

TEST_F(DmlTest, PersistsAcrossReopen) {
  Query("CREATE TABLE t (id int PRIMARY KEY, v text)");
  Query("INSERT INTO t VALUES (1, 'a')");
  Open(false);
  EXPECT_EQ(Query("SELECT v FROM t"), (Rows{"a"}));
}

TEST_F(DmlTest, Joins) {
  Query("CREATE TABLE a (id int PRIMARY KEY, name text)");
  Query("CREATE TABLE b (id int PRIMARY KEY, a_id int, amount int)");
  Query("INSERT INTO a VALUES (1, 'x'), (2, 'y'), (3, 'z')");
  Query("INSERT INTO b VALUES (10, 1, 5), (11, 1, 7), (12, 2, 1)");
  EXPECT_EQ(Query("SELECT a.name, b.amount FROM a JOIN b ON a.id = b.a_id ORDER BY b.amount"),
            (Rows{"y|1", "x|5", "x|7"}));
  EXPECT_EQ(Query("SELECT a.name, b.amount FROM a LEFT JOIN b ON a.id = b.a_id WHERE a.id >= 2 ORDER BY a.id"),
            (Rows{"y|1", "z|NULL"}));
  EXPECT_EQ(Query("SELECT a.name FROM a, b WHERE a.id = b.a_id AND b.amount > 6"), (Rows{"x"}));
  EXPECT_EQ(Query("SELECT count(*) FROM a CROSS JOIN b"), (Rows{"9"}));
  EXPECT_EQ(Query("SELECT a.id, b.id FROM a RIGHT JOIN b ON a.id = b.a_id AND b.amount < 2 ORDER BY b.id"),
            (Rows{"NULL|10", "NULL|11", "2|12"}));
  EXPECT_EQ(Query("SELECT count(*) FROM a FULL JOIN b ON a.id = b.a_id + 100"), (Rows{"6"}));
}

TEST_F(DmlTest, Aggregates) {
  Query("CREATE TABLE s (g int, x int, y numeric)");
  Query("INSERT INTO s VALUES (1, 1, 1.5), (1, 2, 2.5), (2, 5, NULL), (2, NULL, 1)");
  EXPECT_EQ(Query("SELECT g, count(*), count(x), sum(x), avg(x), min(y), max(y) FROM s GROUP BY g ORDER BY g"),
            (Rows{"1|2|2|3|1.5000000000000000|1.5|2.5", "2|2|1|5|5.0000000000000000|1|1"}));
  EXPECT_EQ(last_.columns_[1].name, "count");
  EXPECT_EQ(last_.columns_[3].type.id, TypeId::kInt8);
  EXPECT_EQ(last_.columns_[4].type.id, TypeId::kNumeric);
  EXPECT_EQ(Query("SELECT g FROM s GROUP BY g HAVING sum(x) > 3"), (Rows{"2"}));
  EXPECT_EQ(Query("SELECT count(*), sum(x) FROM s WHERE g > 10"), (Rows{"0|NULL"}));
  EXPECT_EQ(Query("SELECT count(DISTINCT g) FROM s"), (Rows{"2"}));
}

TEST_F(DmlTest, OrderLimitOffsetDistinct) {
  Query("CREATE TABLE n (v int)");
  Query("INSERT INTO n SELECT * FROM generate_series(1, 10)");
  EXPECT_EQ(Query("SELECT v FROM n ORDER BY v DESC LIMIT 3"), (Rows{"10", "9", "8"}));
  EXPECT_EQ(Query("SELECT v FROM n ORDER BY v LIMIT 2 OFFSET 4"), (Rows{"5", "6"}));
  EXPECT_EQ(Query("SELECT DISTINCT v % 3 AS m FROM n ORDER BY m"), (Rows{"0", "1", "2"}));
  EXPECT_EQ(Query("SELECT v FROM n ORDER BY v % 4, v LIMIT 3"), (Rows{"4", "8", "1"}));
  EXPECT_EQ(Query("SELECT 1 UNION SELECT 1 UNION ALL SELECT 2 ORDER BY 1"), (Rows{"1", "2"}));
}

TEST_F(DmlTest, UpdateDelete) {
  Query("CREATE TABLE t (id int PRIMARY KEY, v int)");
  Query("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
  EXPECT_EQ(Tag("UPDATE t SET v = v + 1 WHERE id = 2"), "UPDATE 1");
  EXPECT_EQ(Tag("UPDATE t SET v = v * 2"), "UPDATE 3");
  EXPECT_EQ(Query("SELECT v FROM t ORDER BY id"), (Rows{"20", "42", "60"}));
  EXPECT_EQ(Tag("UPDATE t SET id = id + 10 WHERE id = 1"), "UPDATE 1");
  EXPECT_EQ(Query("SELECT id FROM t ORDER BY id"), (Rows{"2", "3", "11"}));
  EXPECT_EQ(Tag("DELETE FROM t WHERE v > 50"), "DELETE 1");
  EXPECT_EQ(Query("SELECT id FROM t ORDER BY id"), (Rows{"2", "11"}));
  EXPECT_EQ(Query("DELETE FROM t WHERE id = 2 RETURNING v"), (Rows{"42"}));
  EXPECT_EQ(Query("UPDATE t SET v = 1 RETURNING id, v"), (Rows{"11|1"}));
}

TEST_F(DmlTest, SerialDefaultsAndReturning) {
  Query("CREATE TABLE s (id serial PRIMARY KEY, name text DEFAULT 'anon', n int)");
  EXPECT_EQ(Query("INSERT INTO s (n) VALUES (5), (6) RETURNING id, name"), (Rows{"1|anon", "2|anon"}));
  EXPECT_EQ(Query("INSERT INTO s (name) VALUES ('bob') RETURNING *"), (Rows{"3|bob|NULL"}));
}

TEST_F(DmlTest, SecondaryIndexMaintained) {
  Query("CREATE TABLE t (id int PRIMARY KEY, k int, v text)");
  Query("INSERT INTO t VALUES (1, 100, 'a'), (2, 200, 'b')");
  EXPECT_EQ(Tag("CREATE INDEX t_k_idx ON t (k)"), "CREATE INDEX");
  Query("INSERT INTO t VALUES (3, 100, 'c')");
  EXPECT_EQ(Query("SELECT id FROM t WHERE k = 100 ORDER BY id"), (Rows{"1", "3"}));
  Query("UPDATE t SET k = 300 WHERE id = 1");
  EXPECT_EQ(Query("SELECT id FROM t WHERE k = 100"), (Rows{"3"}));
  EXPECT_EQ(Query("SELECT id FROM t WHERE k = 300"), (Rows{"1"}));
  Query("DELETE FROM t WHERE id = 3");
  EXPECT_EQ(Query("SELECT id FROM t WHERE k = 100"), Rows{});
}

TEST_F(DmlTest, TruncateAndDrop) {
  Query("CREATE TABLE t (id int)");
  Query("INSERT INTO t VALUES (1), (2)");
  EXPECT_EQ(Tag("TRUNCATE t"), "TRUNCATE TABLE");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  EXPECT_EQ(Tag("DROP TABLE t"), "DROP TABLE");
  EXPECT_EQ(ErrorCode("SELECT * FROM t"), "42P01");
}

TEST_F(DmlTest, AlterTableAddPrimaryKey) {
  Query("CREATE TABLE t (id int, v text)");
  Query("INSERT INTO t VALUES (2, 'b'), (1, 'a')");
  EXPECT_EQ(Tag("ALTER TABLE t ADD PRIMARY KEY (id)"), "ALTER TABLE");
  EXPECT_EQ(Query("SELECT v FROM t WHERE id = 1"), (Rows{"a"}));
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (1, 'x')"), "23505");
  Query("CREATE TABLE d (id int, v text)");
  Query("INSERT INTO d VALUES (1, 'a'), (1, 'b')");
  EXPECT_EQ(ErrorCode("ALTER TABLE d ADD PRIMARY KEY (id)"), "23505");
  Query("CREATE TABLE z (id int)");
  Query("INSERT INTO z VALUES (NULL)");
  EXPECT_EQ(ErrorCode("ALTER TABLE z ADD PRIMARY KEY (id)"), "23502");
}

TEST_F(DmlTest, EncodedFragmentsGiveSameResults) {
  Open(true);
  Query("CREATE TABLE t (id int PRIMARY KEY, v text, n numeric(10,2))");
  Query("INSERT INTO t VALUES (1, 'a', 1.5), (2, 'b', 2.25), (3, NULL, NULL)");
  EXPECT_EQ(Query("SELECT id, v, n FROM t WHERE id >= 2 ORDER BY id DESC LIMIT 5"), (Rows{"3|NULL|NULL", "2|b|2.25"}));
  EXPECT_EQ(Tag("UPDATE t SET v = upper(coalesce(v, 'z')) WHERE id > 1"), "UPDATE 2");
  EXPECT_EQ(Query("SELECT v FROM t ORDER BY id"), (Rows{"a", "B", "Z"}));
}

}  // namespace tessera::testing

namespace tessera::testing {

TEST_F(DmlTest, UncorrelatedSubqueries) {
  Query("CREATE TABLE t (id int PRIMARY KEY, v int)");
  Query("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)");
  EXPECT_EQ(Query("SELECT id FROM t WHERE v = (SELECT max(v) FROM t)"), (Rows{"3"}));
  EXPECT_EQ(Query("SELECT id FROM t WHERE id IN (SELECT id - 1 FROM t) ORDER BY id"), (Rows{"1", "2"}));
  EXPECT_EQ(Query("SELECT id FROM t WHERE id NOT IN (SELECT id + 1 FROM t)"), (Rows{"1"}));
  EXPECT_EQ(Query("SELECT EXISTS (SELECT 1 FROM t WHERE v > 25), (SELECT count(*) FROM t)"), (Rows{"t|3"}));
  EXPECT_EQ(Query("SELECT (SELECT v FROM t WHERE id = 9)"), (Rows{"NULL"}));
  EXPECT_EQ(ErrorCode("SELECT (SELECT v FROM t)"), "21000");
  EXPECT_EQ(Tag("UPDATE t SET v = 0 WHERE id = (SELECT min(id) FROM t)"), "UPDATE 1");
  Open(true);  // through the fragment encoding too
  EXPECT_EQ(Query("SELECT v FROM t WHERE id = (SELECT min(id) FROM t)"), (Rows{"0"}));
}

}  // namespace tessera::testing

namespace tessera::testing {

// count/sum/min/max split into a partial aggregate in the fragment and a
// merge on the gateway; results must match the unsplit ones.
TEST_F(DmlTest, PartialAggregatesInFragments) {
  for (bool encode : {false, true}) {
    Open(encode);
    Query("DROP TABLE IF EXISTS p");
    Query("CREATE TABLE p (id int PRIMARY KEY, g int, x int8, s text)");
    EXPECT_EQ(Query("SELECT count(*), sum(x), min(s) FROM p"), (Rows{"0|NULL|NULL"}));
    EXPECT_EQ(Query("SELECT g, count(*) FROM p GROUP BY g"), Rows{});
    Query("INSERT INTO p VALUES (1, 1, 5, 'b'), (2, 1, NULL, 'a'), (3, 2, 7, NULL), (4, 2, 1, 'z')");
    EXPECT_EQ(Query("SELECT g, count(*), count(x), sum(x), min(s), max(x) FROM p GROUP BY g ORDER BY g"),
              (Rows{"1|2|1|5|a|5", "2|2|2|8|z|7"}));
    EXPECT_EQ(last_.columns_[1].type.id, TypeId::kInt8);
    EXPECT_EQ(last_.columns_[3].type.id, TypeId::kNumeric);
    EXPECT_EQ(Query("SELECT count(*) FROM p WHERE id > 1 HAVING count(*) > 2"), (Rows{"3"}));
    Query("EXPLAIN SELECT g, count(*) FROM p GROUP BY g");
    std::string plan;
    for (auto& r : last_.rows_) plan += r[0] + "\n";
    EXPECT_NE(plan.find("Partial Aggregate (count(*))"), std::string::npos) << plan;
  }
}

}  // namespace tessera::testing

namespace tessera::testing {

// Correlated subqueries run per outer row on the gateway; their fragments
// carry the outer values (through the fragment encoding too).
TEST_F(DmlTest, CorrelatedSubqueries) {
  for (bool encode : {false, true}) {
    Open(encode);
    Query("DROP TABLE IF EXISTS c");
    Query("DROP TABLE IF EXISTS p");
    Query("CREATE TABLE p (id int PRIMARY KEY, name text)");
    Query("CREATE TABLE c (id int PRIMARY KEY, p_id int, v int)");
    Query("INSERT INTO p VALUES (1, 'x'), (2, 'y'), (3, 'z')");
    Query("INSERT INTO c VALUES (10, 1, 5), (11, 1, 7), (12, 2, 1), (13, NULL, 2)");
    EXPECT_EQ(Query("SELECT id, (SELECT count(*) FROM c WHERE c.p_id = p.id) FROM p ORDER BY id"),
              (Rows{"1|2", "2|1", "3|0"}));
    EXPECT_EQ(Query("SELECT id FROM p WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.p_id = p.id)"), (Rows{"3"}));
    EXPECT_EQ(Query("SELECT id, ARRAY(SELECT c.id FROM c WHERE c.p_id = p.id ORDER BY c.id) FROM p ORDER BY id"),
              (Rows{"1|{10,11}", "2|{12}", "3|{}"}));
    // The inner key is looked up by the outer value.
    EXPECT_EQ(Query("SELECT c.id, (SELECT name FROM p WHERE p.id = c.p_id) FROM c ORDER BY c.id"),
              (Rows{"10|x", "11|x", "12|y", "13|NULL"}));
    // Two levels out.
    EXPECT_EQ(Query("SELECT id, (SELECT max(v) FROM c WHERE c.p_id = p.id AND EXISTS (SELECT 1 FROM p q WHERE "
                    "q.id = c.p_id AND q.name = p.name)) FROM p ORDER BY id"),
              (Rows{"1|7", "2|1", "3|NULL"}));
    EXPECT_EQ(ErrorCode("SELECT (SELECT c.id FROM c WHERE c.p_id = p.id) FROM p"), "21000");
    EXPECT_EQ(Tag("DELETE FROM c WHERE NOT EXISTS (SELECT 1 FROM p WHERE p.id = c.p_id)"), "DELETE 1");
    EXPECT_EQ(Query("SELECT count(*) FROM c"), (Rows{"3"}));
  }
}

}  // namespace tessera::testing
