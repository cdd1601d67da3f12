package io.lakeroute.pipelines.run;

import io.lakeroute.bigquery.BigQueryException;
import io.lakeroute.databricks.DatabricksException;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.query.SourceException;
import io.lakeroute.query.SourceReadException;
import io.lakeroute.validation.ReconciliationException;
import io.lakeroute.warehouse.WarehouseException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * The run failure a step's exception stands for. Each step of the library raises its own type (the
 * warehouse load a {@link WarehouseException}, the Databricks step a {@link DatabricksException}, a
 * count that differs a {@link ReconciliationException} naming its hop), so the type alone gives the
 * class and the step; what the pipeline wraps around it is looked through. A connection lost
 * mid-run to a service that answered the preflight is {@link ExitCode#TRANSIENT}: worth a retry,
 * unlike a refused query or a count mismatch.
 */
public final class Failures {
  private Failures() {}

  /** The failure {@code failure} stands for; {@code step} is where an untyped one happened. */
  public static RunFailure classify(Throwable failure, String step) {
    if (failure instanceof RunFailure known) {
      return known;
    }
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    boolean lost = connectionLost(chain);
    for (Throwable t : chain) {
      if (t instanceof RunFailure known) {
        return known;
      }
      if (t instanceof OutOfMemoryError) {
        return outOfMemory(t, step);
      }
      if (t instanceof ReconciliationException mismatch) {
        return failure(ExitCode.RECONCILIATION, t, stepOf(mismatch.hop()));
      }
    }
    for (Throwable t : chain) {
      if (t instanceof WarehouseException || t instanceof BigQueryException) {
        return failure(lost ? ExitCode.TRANSIENT : ExitCode.LOAD, t, "load");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof DatabricksException databricks) {
        return failure(
            databricks.connectionLost() ? ExitCode.TRANSIENT : ExitCode.DATABRICKS,
            t,
            "databricks");
      }
    }
    for (Throwable t : chain) {
      if (t instanceof SourceReadException || t instanceof SourceException) {
        return failure(lost ? ExitCode.TRANSIENT : ExitCode.SOURCE, t, step);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof IllegalArgumentException) {
        // Raised while decoding a value that cannot be carried exactly.
        return failure(ExitCode.SOURCE, t, step);
      }
    }
    for (Throwable t : chain) {
      if (t instanceof DeliveryException || t instanceof IOException) {
        return failure(
            lost ? ExitCode.TRANSIENT : ExitCode.DELIVERY,
            "Delivering the files failed: " + t.getMessage(),
            failure,
            step);
      }
    }
    Throwable root = chain.get(chain.size() - 1);
    return failure(
        lost ? ExitCode.TRANSIENT : ExitCode.FAILED, String.valueOf(root), failure, step);
  }

  /** The JVM ran out of heap: what to change, since a retry as it is fails the same way. */
  public static RunFailure outOfMemory(Throwable error, String step) {
    return new RunFailure(
        ExitCode.FAILED,
        "The JVM ran out of memory ("
            + error.getMessage()
            + "): give it more heap (-Xmx) or lower --fetchSize and --maxRowsPerFile. Nothing"
            + " partial was published.",
        null,
        step);
  }

  private static String stepOf(ReconciliationException.Hop hop) {
    return switch (hop) {
      case SOURCE, FILES -> "deliver";
      case WAREHOUSE -> "load";
      case DATABRICKS -> "databricks";
    };
  }

  private static RunFailure failure(ExitCode code, Throwable decisive, String step) {
    return failure(code, decisive.getMessage(), decisive, step);
  }

  private static RunFailure failure(ExitCode code, String message, Throwable cause, String step) {
    if (code != ExitCode.TRANSIENT) {
      return new RunFailure(code, message, cause, step);
    }
    // After deliver, the files (and a load that committed) are published: the retry replaces the
    // run's rows at every hop rather than finding nothing there.
    String kept =
        "load".equals(step) || "databricks".equals(step)
            ? " the files, and any load that committed, stay published; the retry of the same run"
                + " id replaces the run's rows at every hop."
            : " nothing partial was published and the previous data is intact.";
    String text =
        message
            + (stalled(cause)
                ? "\nThe service sent nothing for the stall timeout (--stallTimeoutSeconds);"
                    + kept
                    + " Retry the run, or raise --stallTimeoutSeconds if the source computes the"
                    + " query's first rows for longer."
                : "\nThe connection was lost mid-run;" + kept + " Retry the run.");
    return new RunFailure(code, text, cause, step);
  }

  /** A service that kept a connection open but answered nothing within the bound. */
  private static boolean stalled(Throwable failure) {
    List<Throwable> seen = new ArrayList<>();
    for (Throwable t = failure; t != null && !seen.contains(t); t = t.getCause()) {
      if (t instanceof SocketTimeoutException || t instanceof TimeoutException) {
        return true;
      }
      // pgjdbc's loginTimeout ends a connection attempt with a bare SQLException, state 08001 and
      // "Connection attempt timed out.", without the socket timeout as its cause.
      if (t instanceof SQLException sql
          && String.valueOf(sql.getSQLState()).startsWith("08")
          && String.valueOf(sql.getMessage()).toLowerCase(Locale.ROOT).contains("timed out")) {
        return true;
      }
      seen.add(t);
    }
    return false;
  }

  /** A network failure reaching a service, as opposed to the service refusing the request. */
  static boolean connectionLost(List<Throwable> chain) {
    for (Throwable t : chain) {
      if (t instanceof ConnectException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof SQLTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SocketException socket
          && String.valueOf(socket.getMessage()).matches("(?is).*(reset|broken pipe|closed).*")) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String state = sql.getSQLState();
        // 08: connection exceptions; 57P01-57P03: PostgreSQL shut down or restarting.
        if (state.startsWith("08") || state.matches("57P0[123]")) {
          return true;
        }
      }
    }
    return false;
  }
}
