// pgjdbc smoke test: java -cp postgresql.jar:. TestJdbc HOST PORT USER DB
// Prints "PASS pgjdbc <check>" or "FAIL pgjdbc <check>: <reason>" per check.
// PreparedStatement uses the extended protocol; prepareThreshold=1 makes the
// driver switch to a named server-side statement from the second execution.
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.Objects;
import java.util.Properties;

public class TestJdbc {
  static final String NAME = "pgjdbc";
  static int failures = 0;
  static Connection conn;

  interface Check {
    void run() throws Exception;
  }

  static boolean check(String what, Check c) {
    try {
      c.run();
      System.out.println("PASS " + NAME + " " + what);
      return true;
    } catch (Throwable e) {
      failures++;
      String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
      String state = e instanceof SQLException ? ((SQLException) e).getSQLState() : null;
      System.out.println("FAIL " + NAME + " " + what + ": " + reason + (state != null ? " (SQLSTATE " + state + ")" : ""));
      return false;
    }
  }

  static void expect(Object actual, Object wanted, String what) {
    if (!Objects.equals(actual, wanted)) {
      throw new AssertionError(what + ": got " + actual + ", want " + wanted);
    }
  }

  static long count(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM drv_jdbc")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://" + args[0] + ":" + args[1] + "/" + args[3];
    Properties props = new Properties();
    props.setProperty("user", args[2]);
    props.setProperty("connectTimeout", "10");
    props.setProperty("socketTimeout", "60");
    props.setProperty("prepareThreshold", "1");
    if (!check("connect", () -> conn = DriverManager.getConnection(url, props))) {
      System.exit(1);
    }
    Timestamp ts = Timestamp.valueOf("2024-01-02 03:04:05.678");

    check("create table", () -> {
      try (Statement st = conn.createStatement()) {
        st.execute("DROP TABLE IF EXISTS drv_jdbc");
        st.execute("CREATE TABLE drv_jdbc (id int PRIMARY KEY, name text, amount numeric(10,2), "
            + "flag boolean, ts timestamp, note text)");
      }
    });

    check("insert with parameters", () -> {
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO drv_jdbc VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setInt(1, 1);
        ps.setString(2, "alpha");
        ps.setBigDecimal(3, new BigDecimal("12.34"));
        ps.setBoolean(4, true);
        ps.setTimestamp(5, ts);
        ps.setNull(6, Types.VARCHAR);
        expect(ps.executeUpdate(), 1, "update count");
        ps.setInt(1, 2);
        ps.setString(2, "it's \"quoted\"");
        ps.setBigDecimal(3, new BigDecimal("-5.50"));
        ps.setBoolean(4, false);
        ps.setTimestamp(5, ts);
        ps.setString(6, "x");
        expect(ps.executeUpdate(), 1, "update count (named statement)");
      }
    });

    check("select typed values", () -> {
      try (PreparedStatement ps = conn.prepareStatement(
          "SELECT id, name, amount, flag, ts, note FROM drv_jdbc WHERE id = ?")) {
        for (int round = 0; round < 2; round++) { // the second round runs the named statement
          ps.setInt(1, 1);
          try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new AssertionError("no row");
            expect(rs.getObject(1), 1, "int");
            expect(rs.getObject(2), "alpha", "text");
            expect(rs.getBigDecimal(3), new BigDecimal("12.34"), "numeric");
            expect(rs.getObject(4), true, "bool");
            expect(rs.getTimestamp(5), ts, "timestamp");
            expect(rs.getObject(6), null, "NULL");
            expect(rs.wasNull(), true, "wasNull");
            expect(rs.next(), false, "a single row");
          }
        }
      }
    });

    check("transaction rollback", () -> {
      conn.setAutoCommit(false);
      try (Statement st = conn.createStatement()) {
        st.executeUpdate("INSERT INTO drv_jdbc (id, name) VALUES (3, 'gone')");
        expect(count(st), 3L, "count inside the transaction");
        conn.rollback();
        conn.setAutoCommit(true);
        expect(count(st), 2L, "count after rollback");
      } finally {
        conn.setAutoCommit(true);
      }
    });

    check("sqlstate 23505", () -> {
      String state = null;
      try (PreparedStatement ps = conn.prepareStatement("INSERT INTO drv_jdbc (id, name) VALUES (?, ?)")) {
        ps.setInt(1, 1);
        ps.setString(2, "dup");
        ps.executeUpdate();
      } catch (SQLException e) {
        state = e.getSQLState();
      }
      expect(state, "23505", "SQLSTATE of a duplicate key");
      try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
        rs.next();
        expect(rs.getInt(1), 1, "SELECT 1 after the error");
      }
    });

    // setDate sends text such as '2020-01-02 +00' (the JVM zone's offset).
    check("setDate", () -> {
      try (PreparedStatement ps = conn.prepareStatement("SELECT CAST(? AS date), ?::date + 1")) {
        ps.setDate(1, java.sql.Date.valueOf("2020-01-02"));
        ps.setDate(2, java.sql.Date.valueOf("2020-02-28"));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          expect(rs.getString(1), "2020-01-02", "setDate value");
          expect(rs.getString(2), "2020-02-29", "setDate arithmetic");
        }
      }
    });

    // setLong types the parameter int8 and setBigDecimal numeric; against the
    // int4 key they find the row (a key lookup: tests/sql/select/key_types.test),
    // and a value beyond int4's range or a fraction finds none, without an error.
    check("setLong and setBigDecimal against an int4 key", () -> {
      try (PreparedStatement ps = conn.prepareStatement("SELECT name FROM drv_jdbc WHERE id = ?")) {
        for (int round = 0; round < 2; round++) { // the second round runs the named statement
          ps.setLong(1, 1L);
          try (ResultSet rs = ps.executeQuery()) {
            expect(rs.next(), true, "a row for setLong(1)");
            expect(rs.getString(1), "alpha", "the row for setLong(1)");
          }
          ps.setLong(1, 3000000000L);
          try (ResultSet rs = ps.executeQuery()) {
            expect(rs.next(), false, "no row for setLong(3000000000)");
          }
          ps.setBigDecimal(1, new BigDecimal("2.0"));
          try (ResultSet rs = ps.executeQuery()) {
            expect(rs.next(), true, "a row for setBigDecimal(2.0)");
          }
          ps.setBigDecimal(1, new BigDecimal("1.5"));
          try (ResultSet rs = ps.executeQuery()) {
            expect(rs.next(), false, "no row for setBigDecimal(1.5)");
          }
        }
      }
    });

    conn.close();

    // With the server's CA (run.sh's 5th argument): verify-full over TLS.
    if (args.length > 4) {
      check("tls verify-full", () -> {
        Properties tls = new Properties();
        tls.putAll(props);
        tls.setProperty("sslmode", "verify-full");
        tls.setProperty("sslrootcert", args[4]);
        try (Connection c = DriverManager.getConnection(url, tls); Statement st = c.createStatement()) {
          try (ResultSet rs = st.executeQuery("SHOW ssl")) {
            rs.next();
            expect(rs.getString(1), "on", "SHOW ssl");
          }
          try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_ssl WHERE ssl")) {
            rs.next();
            expect(rs.getLong(1) >= 1, true, "a TLS session in pg_stat_ssl");
          }
        }
      });
    }
    System.exit(failures == 0 ? 0 : 1);
  }
}
