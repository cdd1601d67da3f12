package io.lakeroute.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import java.io.IOException;

/**
 * One line about a failed Google Cloud Storage call and what to do about it. Beam passes GCS errors
 * on as the client's exceptions, whose messages span the whole HTTP exchange (request line, JSON
 * body); the user needs the bucket, the reason and the fix.
 */
final class GcsErrors {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GcsErrors() {}

  /** The explanation of {@code failure}, or null when no GCS or Google auth error caused it. */
  static String explain(Throwable failure, String destination) {
    String bucket = bucket(destination);
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof GoogleJsonResponseException response) {
        return explain(response, bucket);
      }
      if (isTokenFailure(t)) {
        return "Google refused the credentials when asked for an access token ("
            + tokenError(t)
            + "). A deleted or rotated service-account key, a disabled account or an expired"
            + " gcloud login is refused this way.";
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String explain(GoogleJsonResponseException response, String bucket) {
    GoogleJsonError details = response.getDetails();
    String said =
        "GCS: "
            + response.getStatusCode()
            + " "
            + (details != null && details.getMessage() != null
                ? details.getMessage()
                : response.getStatusMessage());
    switch (response.getStatusCode()) {
      case 401:
        return "GCS refused the request's credentials ("
            + said
            + "): none were sent, or the access token is expired, revoked or not Google's.";
      case 403:
        return "the credentials may not write to bucket "
            + bucket
            + " ("
            + said
            + "). The account needs to create, read, list and delete objects there, e.g."
            + " roles/storage.objectAdmin on the bucket.";
      case 404:
        return "bucket "
            + bucket
            + " does not exist ("
            + said
            + "). Create it, or correct the destination.";
      default:
        return said + " (" + response.getStatusMessage() + ").";
    }
  }

  /**
   * google-auth wraps a refused token request in GoogleAuthException, which is package-private:
   * recognized by name, and by the message it has carried since before that class existed.
   */
  private static boolean isTokenFailure(Throwable t) {
    return t.getClass().getName().equals("com.google.auth.oauth2.GoogleAuthException")
        || String.valueOf(t.getMessage()).startsWith("Error getting access token");
  }

  /** Google's {@code error} and {@code error_description}, from the token endpoint's answer. */
  private static String tokenError(Throwable authFailure) {
    for (Throwable t = authFailure; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof HttpResponseException http && http.getContent() != null) {
        try {
          JsonNode answer = JSON.readTree(http.getContent());
          String error = answer.path("error").asText("");
          String description = answer.path("error_description").asText("");
          if (!error.isEmpty()) {
            return http.getStatusCode()
                + " "
                + error
                + (description.isEmpty() ? "" : ": " + description);
          }
        } catch (IOException notJson) {
          // Fall through to the status line.
        }
        return http.getStatusCode() + " " + http.getStatusMessage();
      }
    }
    return authFailure.getClass().getSimpleName();
  }

  private static String bucket(String destination) {
    String rest = destination.startsWith("gs://") ? destination.substring(5) : destination;
    int slash = rest.indexOf('/');
    return "gs://" + (slash < 0 ? rest : rest.substring(0, slash));
  }
}
