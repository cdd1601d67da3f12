package io.lakeroute.warehouse;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The SQL a warehouse server speaks: a real warehouse, or the local stand-in of one. */
public enum WarehouseDialect {
  /** Amazon Redshift: COPY from S3 through a manifest and an IAM role. */
  REDSHIFT("redshift", false),
  /** PostgreSQL 15 standing in for Redshift: the staged CSV through COPY … FROM STDIN. */
  POSTGRES("postgres", true),
  /** Azure Synapse Analytics (dedicated SQL pool): COPY INTO from Azure Blob Storage. */
  SYNAPSE("synapse", false),
  /** H2 in MS SQL Server mode standing in for Synapse: INSERT … SELECT FROM CSVREAD. */
  H2("h2", true);

  private final String id;
  private final boolean standIn;

  WarehouseDialect(String id, boolean standIn) {
    this.id = id;
    this.standIn = standIn;
  }

  public String id() {
    return id;
  }

  /** Whether this is a local stand-in that runs the nearest equivalent of the warehouse's load. */
  public boolean standIn() {
    return standIn;
  }

  /** Whether this dialect is Redshift or its stand-in. */
  public boolean redshift() {
    return this == REDSHIFT || this == POSTGRES;
  }

  public static WarehouseDialect of(String value) {
    String wanted = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(d -> d.id.equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "--warehouseDialect="
                        + value
                        + " is not valid: use "
                        + Arrays.stream(values())
                            .map(WarehouseDialect::id)
                            .collect(Collectors.joining(", "))));
  }
}
