import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;

/**
 * Runs SQL on HiveServer2 through Hive's own JDBC driver (hive-jdbc, from the
 * same jars as the server), for the local stack's readiness check and for the
 * tests that prove the Hive sink's statements on a real HiveServer2.
 *
 *   java -cp 'lib/*:runner' HiveSqlRunner JDBC_URL --wait SECONDS
 *     connects (retrying until SECONDS have passed), prints "ready" and exits 0;
 *     exits 1 with the last error when it cannot.
 *   java -cp 'lib/*:runner' HiveSqlRunner JDBC_URL
 *     connects once, then reads one JSON request a line on standard input,
 *     {"sql": "...", "params": ["text", 12, ...]}, runs it as a prepared
 *     statement on that one session and writes one JSON answer a line:
 *     {"ok": true, "rows": [{"column": value, ...}], "ms": 123} or
 *     {"ok": false, "sqlState": "...", "errorCode": 1, "message": "...", "ms": 123}.
 *
 * Parameters are substituted into the text by the driver, as the Hive ODBC
 * drivers do: whole numbers with setLong, other numbers with setDouble, text
 * with setString (a quoted Hive string literal), null with setNull.
 */
public final class HiveSqlRunner {
  private static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: HiveSqlRunner JDBC_URL [--wait SECONDS]");
      System.exit(2);
    }
    String url = args[0];
    if (args.length >= 3 && args[1].equals("--wait")) {
      System.exit(waitUntilConnects(url, Long.parseLong(args[2])) ? 0 : 1);
    }
    // Answers go to a stream of their own: Hive's client libraries log to standard output.
    PrintStream answers = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
    System.setOut(System.err);
    try (Connection connection = DriverManager.getConnection(url, "", "")) {
      answers.println("{\"ready\":true}");
      BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = requests.readLine()) != null) {
        if (line.isBlank()) continue;
        answers.println(JSON.writeValueAsString(answer(connection, JSON.readTree(line))));
      }
    }
  }

  private static boolean waitUntilConnects(String url, long seconds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + seconds * 1000;
    String last = "no attempt";
    while (System.currentTimeMillis() < deadline) {
      try (Connection connection = DriverManager.getConnection(url, "", "")) {
        System.out.println("ready");
        return true;
      } catch (SQLException error) {
        last = error.getMessage();
      }
      Thread.sleep(1000);
    }
    System.err.println("HiveServer2 did not accept a JDBC connection at " + url + " within " + seconds + " s: " + last);
    return false;
  }

  private static ObjectNode answer(Connection connection, JsonNode request) {
    ObjectNode answer = JSON.createObjectNode();
    long started = System.nanoTime();
    try (PreparedStatement statement = connection.prepareStatement(request.path("sql").asText())) {
      JsonNode params = request.path("params");
      for (int i = 0; i < params.size(); i++) bind(statement, i + 1, params.get(i));
      ArrayNode rows = answer.putArray("rows");
      if (statement.execute()) {
        try (ResultSet results = statement.getResultSet()) {
          ResultSetMetaData columns = results.getMetaData();
          while (results.next()) {
            ObjectNode row = rows.addObject();
            for (int c = 1; c <= columns.getColumnCount(); c++) put(row, columns.getColumnLabel(c), results.getObject(c));
          }
        }
      }
      answer.put("ok", true);
    } catch (SQLException error) {
      answer.removeAll();
      answer.put("ok", false);
      answer.put("sqlState", error.getSQLState() == null ? "" : error.getSQLState());
      answer.put("errorCode", error.getErrorCode());
      answer.put("message", String.valueOf(error.getMessage()));
    }
    answer.put("ms", (System.nanoTime() - started) / 1_000_000);
    return answer;
  }

  private static void bind(PreparedStatement statement, int index, JsonNode value) throws SQLException {
    if (value == null || value.isNull()) statement.setNull(index, Types.VARCHAR);
    else if (value.isIntegralNumber()) statement.setLong(index, value.asLong());
    else if (value.isNumber()) statement.setDouble(index, value.asDouble());
    // Hive's own setString (4.0.1) escapes the quote but not the backslash, which Hive's string
    // literals read as an escape (a name "O\\ Brien" was stored as "O Brien"). Escaped here first,
    // as a driver that substitutes parameters correctly does.
    else statement.setString(index, value.asText().replace("\\", "\\\\"));
  }

  /** Numbers stay numbers; every other value (timestamps, dates, text) is sent as its text. */
  private static void put(ObjectNode row, String column, Object value) {
    if (value == null) row.putNull(column);
    else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte)
      row.put(column, ((Number) value).longValue());
    else if (value instanceof Number) row.put(column, ((Number) value).doubleValue());
    else if (value instanceof Boolean) row.put(column, (Boolean) value);
    else row.put(column, value.toString());
  }
}
