package io.lakeroute.pipelines;

import io.lakeroute.formats.ValueText;
import io.lakeroute.query.SqlTypeMapping.Kind;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Base64;

/**
 * How a warehouse stand-in's JDBC driver gives back a tricky row's values, and what each source
 * value becomes after travelling as CSV: shared by the Redshift and Synapse route tests.
 */
final class WarehouseRows {
  private WarehouseRows() {}

  /** The value of {@code column}, read as the Java type its kind compares as; null for NULL. */
  static Object read(ResultSet rs, String column, Kind kind) throws Exception {
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
      default:
        value = rs.getString(column);
    }
    return rs.wasNull() ? null : value;
  }

  /** What the source's {@code value} is expected to read back as. */
  static Object expected(Kind kind, Object value) {
    switch (kind) {
      case INT16:
      case INT32:
      case INT64:
        return ((Number) value).longValue();
      case BYTES:
        // CSV carries binary as base64; the column is text (see RedshiftSql and SynapseSql).
        return Base64.getEncoder().encodeToString((byte[]) value);
      case TIME:
        return ValueText.format(Kind.TIME, value);
      case TIMESTAMP_TZ:
        return (Instant) value;
      default:
        return value;
    }
  }
}
