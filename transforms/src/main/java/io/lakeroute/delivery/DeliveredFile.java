package io.lakeroute.delivery;

import java.io.Serializable;

/**
 * A data file as read back after it was written: its partition, its name inside the run directory
 * and what it holds.
 */
public record DeliveredFile(int partition, String name, long rows, long bytes, String sha256)
    implements Serializable {}
