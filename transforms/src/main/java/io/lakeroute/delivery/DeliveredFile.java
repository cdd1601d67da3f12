package io.lakeroute.delivery;

import io.lakeroute.fingerprint.Fingerprint;
import java.io.Serializable;

/**
 * A data file as read back after it was written: its partition, its name inside the run directory
 * and what it holds, with the fingerprint of its values (null when fingerprints are off).
 */
public record DeliveredFile(
    int partition, String name, long rows, long bytes, String sha256, Fingerprint fingerprint)
    implements Serializable {}
