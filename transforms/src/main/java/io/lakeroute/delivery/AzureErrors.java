package io.lakeroute.delivery;

import com.azure.storage.blob.models.BlobStorageException;
import java.io.FileNotFoundException;

/**
 * One line about a failed Azure Blob Storage call and what to do about it. Beam's azfs filesystem
 * passes the SDK's exceptions on, whose messages hold the whole XML error body; the user needs the
 * account, the container, the reason and the fix.
 */
final class AzureErrors {
  /** What Beam's {@code AzureBlobStoreFileSystem.create} says when the container is missing. */
  private static final String NO_CONTAINER = "This container does not exist.";

  private AzureErrors() {}

  /** The explanation of {@code failure}, or null when no Azure error caused it. */
  static String explain(Throwable failure, String destination) {
    if (!destination.startsWith("azfs://")) {
      return null;
    }
    String[] parts = destination.substring("azfs://".length()).split("/", 3);
    String account = parts[0];
    String container = parts.length > 1 ? parts[1] : "";
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof FileNotFoundException
          && String.valueOf(t.getMessage()).startsWith(NO_CONTAINER)) {
        return missingContainer(account, container, "Beam found no such container");
      }
      if (t instanceof BlobStorageException response) {
        return explain(response, account, container);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String explain(BlobStorageException response, String account, String container) {
    String code = response.getErrorCode() == null ? "" : response.getErrorCode().toString();
    String said = "Azure: " + response.getStatusCode() + (code.isEmpty() ? "" : " " + code);
    switch (response.getStatusCode()) {
      case 401:
      case 403:
        return refused(code, said, account, container);
      case 404:
        return missingContainer(account, container, said);
      default:
        return said + ".";
    }
  }

  /**
   * Azure names a wrong key or signature AuthenticationFailed, and missing rights
   * AuthorizationPermissionMismatch. AuthorizationFailure covers both on Azurite (which has no
   * other code for a wrong key) and, on Azure, firewall rules and SAS restrictions; answers to HEAD
   * requests carry only the code, so the code is all there is to go on.
   */
  private static String refused(String code, String said, String account, String container) {
    String wrongSecret =
        "a wrong or rotated account key, an expired or forged SAS token, or a connection string"
            + " of another account";
    String rights =
        "they need to create, read, list and delete blobs in container "
            + container
            + " (SAS permissions racwdl, or the role Storage Blob Data Contributor)";
    switch (code) {
      case "AuthenticationFailed":
        return "Azure refused the credentials for storage account "
            + account
            + " ("
            + said
            + "): "
            + wrongSecret
            + ".";
      case "AuthorizationPermissionMismatch":
      case "AuthorizationResourceTypeMismatch":
        return "the credentials may not write to container "
            + container
            + " of storage account "
            + account
            + " ("
            + said
            + "): "
            + rights
            + ".";
      default:
        return "Azure refused the request to storage account "
            + account
            + " ("
            + said
            + "): "
            + wrongSecret
            + "; or "
            + rights
            + "; or a firewall rule of the account blocks this network.";
    }
  }

  private static String missingContainer(String account, String container, String said) {
    return "container "
        + container
        + " does not exist in storage account "
        + account
        + " ("
        + said
        + "). Beam cannot create containers: create it (az storage container create"
        + " --account-name "
        + account
        + " --name "
        + container
        + "), or correct the destination. Nothing was read.";
  }
}
