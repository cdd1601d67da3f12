package io.lakeroute.query;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import org.apache.beam.sdk.schemas.Schema;
import org.apache.beam.sdk.schemas.Schema.FieldType;
import org.apache.beam.sdk.schemas.logicaltypes.FixedPrecisionNumeric;
import org.apache.beam.sdk.schemas.logicaltypes.SqlTypes;

/**
 * Maps the columns a query returns to a Beam {@link Schema}, from the driver's {@link
 * ResultSetMetaData} alone: no hand-written schema. The JDBC standard types are mapped here ({@link
 * #standardType}); what one database's driver reports differently is its {@link SourceDialect}'s.
 *
 * <p>Every field is nullable, because a query's result can hold NULL in any column whatever the
 * base tables declare. The source type name (as the driver reports it) travels in the field's
 * description, so the manifest and error messages can name it. Columns whose values could not be
 * carried exactly (intervals, arrays, time with zone, decimals wider than 38 digits) fail here,
 * before any row is read.
 */
public final class SqlTypeMapping {

  /** Widest decimal Parquet, Avro, Spark and Databricks hold exactly. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  /**
   * Scale given to a decimal the source declares without precision (PostgreSQL {@code numeric}), as
   * Spark's JDBC reader does; a value with more fractional digits fails the read.
   */
  public static final int UNBOUNDED_DECIMAL_SCALE = 18;

  /** What to do with a column of a type no format carries. */
  static final String CAST_ADVICE =
      "cast it in the query to a supported type (text, numeric, timestamp…)";

  private SqlTypeMapping() {}

  /**
   * The Beam schema of a result set read from {@code dialect}'s database, or {@link
   * UnsupportedColumnTypeException}.
   */
  public static Schema schemaOf(ResultSetMetaData metadata, SourceDialect dialect)
      throws SQLException {
    Schema.Builder schema = Schema.builder();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 1; i <= metadata.getColumnCount(); i++) {
      String name = metadata.getColumnLabel(i);
      if (name == null || name.isEmpty()) {
        name = metadata.getColumnName(i);
      }
      if (!seen.add(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "The query returns two columns named '"
                + name
                + "': give each column a unique name with AS in the query.");
      }
      String typeName = typeName(metadata, i);
      FieldType type = dialect.fieldType(name, typeName, metadata, i);
      schema.addField(Schema.Field.nullable(name, type).withDescription(typeName));
    }
    return schema.build();
  }

  private static String typeName(ResultSetMetaData metadata, int column) throws SQLException {
    String name = metadata.getColumnTypeName(column);
    return name == null ? "type " + metadata.getColumnType(column) : name;
  }

  /** The Beam type of a column by its JDBC type code alone, as the JDBC standard defines them. */
  static FieldType standardType(String column, String typeName, ResultSetMetaData metadata, int i)
      throws SQLException {
    switch (metadata.getColumnType(i)) {
      case Types.TINYINT:
        // INT16 holds signed (-128..127) and unsigned (0..255) bytes alike.
        return FieldType.INT16;
      case Types.SMALLINT:
        // Unsigned (MariaDB, MySQL) reaches 65535.
        return metadata.isSigned(i) ? FieldType.INT16 : FieldType.INT32;
      case Types.INTEGER:
        return metadata.isSigned(i) ? FieldType.INT32 : FieldType.INT64;
      case Types.BIGINT:
        return metadata.isSigned(i) ? FieldType.INT64 : decimal(20, 0);
      case Types.REAL:
        return FieldType.FLOAT;
      case Types.FLOAT:
      case Types.DOUBLE:
        return FieldType.DOUBLE;
      case Types.NUMERIC:
      case Types.DECIMAL:
        return decimalOf(column, typeName, metadata.getPrecision(i), metadata.getScale(i));
      case Types.BOOLEAN:
        return FieldType.BOOLEAN;
      case Types.BIT:
        // A real BIT(n) with n > 1 is a bit string, not a boolean.
        return metadata.getPrecision(i) <= 1 ? FieldType.BOOLEAN : unsupported(column, typeName);
      case Types.CHAR:
      case Types.VARCHAR:
      case Types.LONGVARCHAR:
      case Types.NCHAR:
      case Types.NVARCHAR:
      case Types.LONGNVARCHAR:
      case Types.CLOB:
      case Types.NCLOB:
        return FieldType.STRING;
      case Types.BINARY:
      case Types.VARBINARY:
      case Types.LONGVARBINARY:
      case Types.BLOB:
        return FieldType.BYTES;
      case Types.DATE:
        return FieldType.logicalType(SqlTypes.DATE);
      case Types.TIME:
        return FieldType.logicalType(SqlTypes.TIME);
      case Types.TIMESTAMP:
        return FieldType.logicalType(SqlTypes.DATETIME);
      case Types.TIMESTAMP_WITH_TIMEZONE:
        return FieldType.logicalType(SqlTypes.TIMESTAMP);
      default:
        return unsupported(column, typeName);
    }
  }

  private static FieldType decimalOf(String column, String typeName, int precision, int scale) {
    if (precision <= 0) {
      return decimal(MAX_DECIMAL_PRECISION, UNBOUNDED_DECIMAL_SCALE);
    }
    if (precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
      throw new UnsupportedColumnTypeException(
          column,
          typeName + "(" + precision + "," + scale + ")",
          "decimals are carried exactly up to precision "
              + MAX_DECIMAL_PRECISION
              + " with a scale between 0 and the precision; cast the column in the query, e.g."
              + " CAST("
              + column
              + " AS DECIMAL(38,"
              + Math.max(0, Math.min(scale, MAX_DECIMAL_PRECISION))
              + "))");
    }
    return decimal(precision, scale);
  }

  private static FieldType decimal(int precision, int scale) {
    return FieldType.logicalType(FixedPrecisionNumeric.of(precision, scale));
  }

  private static FieldType unsupported(String column, String typeName) {
    throw new UnsupportedColumnTypeException(column, typeName, CAST_ADVICE);
  }

  /** Precision of a decimal field made by this mapping. */
  public static int precision(FieldType type) {
    return ((org.apache.beam.sdk.values.Row) type.getLogicalType().getArgument())
        .getInt32("precision");
  }

  /** Scale of a decimal field made by this mapping. */
  public static int scale(FieldType type) {
    return ((org.apache.beam.sdk.values.Row) type.getLogicalType().getArgument()).getInt32("scale");
  }

  /** The kinds of value a field made by this mapping holds. */
  public enum Kind {
    INT16,
    INT32,
    INT64,
    FLOAT,
    DOUBLE,
    DECIMAL,
    BOOLEAN,
    STRING,
    BYTES,
    DATE,
    TIME,
    TIMESTAMP,
    TIMESTAMP_TZ
  }

  /** The kind of a field type made by this mapping (or any Beam schema of the same shapes). */
  public static Kind kindOf(FieldType type) {
    switch (type.getTypeName()) {
      case INT16:
        return Kind.INT16;
      case INT32:
        return Kind.INT32;
      case INT64:
        return Kind.INT64;
      case FLOAT:
        return Kind.FLOAT;
      case DOUBLE:
        return Kind.DOUBLE;
      case BOOLEAN:
        return Kind.BOOLEAN;
      case STRING:
        return Kind.STRING;
      case BYTES:
        return Kind.BYTES;
      case LOGICAL_TYPE:
        String id = type.getLogicalType().getIdentifier();
        if (id.equals(FixedPrecisionNumeric.IDENTIFIER)) {
          return Kind.DECIMAL;
        } else if (id.equals(SqlTypes.DATE.getIdentifier())) {
          return Kind.DATE;
        } else if (id.equals(SqlTypes.TIME.getIdentifier())) {
          return Kind.TIME;
        } else if (id.equals(SqlTypes.DATETIME.getIdentifier())) {
          return Kind.TIMESTAMP;
        } else if (id.equals(SqlTypes.TIMESTAMP.getIdentifier())) {
          return Kind.TIMESTAMP_TZ;
        }
        break;
      default:
        break;
    }
    throw new IllegalArgumentException("lakeroute cannot write a field of type " + type);
  }
}
