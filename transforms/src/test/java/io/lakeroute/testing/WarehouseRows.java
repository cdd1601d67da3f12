package io.lakeroute.testing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.lakeroute.formats.ValueText;
import io.lakeroute.query.SqlTypeMapping;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Set;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.values.Row;

/**
 * How a warehouse stand-in's JDBC driver gives back a tricky row's values, and what each source
 * value becomes after travelling in a file format: shared by the warehouse load tests.
 */
public final class WarehouseRows {
  private static final Set<Integer> BINARY =
      Set.of(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB);

  private WarehouseRows() {}

  /**
   * Asserts that {@code rs} (ordered by {@code id}, NULL last) holds exactly {@link TrickyRows}'
   * rows, value by value, as files of {@code format} carry them, each of run {@code runId}.
   */
  public static void assertTrickyRows(ResultSet rs, String format, String runId, String what)
      throws Exception {
    Schema schema = TrickyRows.schema();
    for (Row row : TrickyRows.sortedById(TrickyRows.rows())) {
      assertThat(what + ": row count", rs.next(), equalTo(true));
      for (int i = 0; i < schema.getFieldCount(); i++) {
        Schema.Field field = schema.getField(i);
        Kind kind = SqlTypeMapping.kindOf(field.getType());
        Object want = row.getValue(i);
        assertThat(
            what + " id=" + row.getValue("id") + " " + field.getName(),
            read(rs, field.getName(), kind),
            equalTo(want == null ? null : expected(kind, want, format)));
      }
      assertThat(rs.getString("_lakeroute_run_id"), equalTo(runId));
    }
    assertThat(what + ": no extra rows", rs.next(), equalTo(false));
  }

  /** The value of {@code column}, read as the Java type its kind compares as; null for NULL. */
  public static Object read(ResultSet rs, String column, Kind kind) throws Exception {
    Object value;
    switch (kind) {
      case INT16:
      case INT32:
      case INT64:
        value = rs.getLong(column);
        break;
      case FLOAT:
        value = rs.getFloat(column);
        break;
      case DOUBLE:
        value = rs.getDouble(column);
        break;
      case DECIMAL:
        value = rs.getBigDecimal(column);
        break;
      case BOOLEAN:
        value = rs.getBoolean(column);
        break;
      case DATE:
        value = rs.getObject(column, LocalDate.class);
        break;
      case TIMESTAMP:
        value = rs.getObject(column, LocalDateTime.class);
        break;
      case TIMESTAMP_TZ:
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        value = at == null ? null : at.toInstant();
        break;
      case BYTES:
        int type = rs.getMetaData().getColumnType(rs.findColumn(column));
        value = BINARY.contains(type) ? rs.getBytes(column) : rs.getString(column);
        break;
      default:
        value = rs.getString(column);
    }
    return rs.wasNull() ? null : value;
  }

  /** What the source's {@code value} is expected to read back as, from files of {@code format}. */
  public static Object expected(Kind kind, Object value, String format) {
    switch (kind) {
      case INT16:
      case INT32:
      case INT64:
        return ((Number) value).longValue();
      case BYTES:
        // CSV and JSON carry binary as base64 and the column is text; Parquet and Avro as bytes.
        return format.equals("csv") || format.equals("json")
            ? Base64.getEncoder().encodeToString((byte[]) value)
            : value;
      case TIME:
        return ValueText.format(Kind.TIME, value);
      case TIMESTAMP_TZ:
        return (Instant) value;
      default:
        return value;
    }
  }
}
