package io.lakeroute.delivery;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobDownloadContentResponse;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.ByteArrayContent;
import com.google.api.services.storage.Storage;
import com.google.api.services.storage.model.StorageObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.extensions.gcp.util.Transport;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.util.InstanceBuilder;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One small object and the store's own compare-and-swap on it: create only if absent, replace or
 * delete only if unchanged since read. A version is what the store compares: the S3 or Azure ETag,
 * the GCS generation, a local file's SHA-256. Each store is reached with the clients Beam's
 * filesystem of its scheme would build from the same pipeline options.
 *
 * <p>Why one file of about 400 lines: the four stores' implementations sit side by side so that one
 * can check they give the same four operations the same meaning; each is a few dozen lines of one
 * store's conditional requests.
 */
interface LeaseStore extends AutoCloseable {
  /** The object's content and version, as one consistent read. */
  record Versioned(byte[] content, String version) {}

  /** The object, or null when there is none. */
  Versioned read() throws IOException;

  /** Creates the object unless it exists: its new version, or null when it existed. */
  String createIfAbsent(byte[] content) throws IOException;

  /** Replaces the object if it is still at {@code version}: its new version, or null. */
  String replaceIfMatch(byte[] content, String version) throws IOException;

  /** Deletes the object if it is still at {@code version}; otherwise leaves it alone. */
  void deleteIfMatch(String version) throws IOException;

  @Override
  default void close() {}

  /** The store of {@code object}'s scheme. */
  static LeaseStore of(ResourceId object, PipelineOptions options) {
    String uri = object.toString();
    return switch (object.getScheme()) {
      case "file" -> new LocalFile(Paths.get(uri));
      case "s3" -> new S3(options, uri);
      case "azfs" -> new AzureBlob(options, uri);
      case "gs" -> new Gcs(options, uri);
      default ->
          throw new IllegalArgumentException(
              "No run lease for " + object.getScheme() + ":// destinations");
    };
  }

  /** {@code [bucket, key]} of {@code scheme://bucket/key}. */
  static String[] bucketAndKey(String uri) {
    String rest = uri.substring(uri.indexOf("://") + 3);
    int slash = rest.indexOf('/');
    return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
  }

  /**
   * S3's conditional writes: PutObject with {@code If-None-Match: *} creates only if absent, with
   * {@code If-Match: <ETag>} replaces only that version (412 otherwise; 409 when another
   * conditional write to the key is in flight). AWS SDK 2.20.47 has no field for either header, so
   * they are added to the request as they are.
   */
  final class S3 implements LeaseStore {
    private final S3Client client;
    private final String bucket;
    private final String key;

    S3(PipelineOptions options, String uri) {
      S3Options s3 = options.as(S3Options.class);
      this.client =
          InstanceBuilder.ofType(S3ClientBuilderFactory.class)
              .fromClass(s3.getS3ClientFactoryClass())
              .build()
              .createBuilder(s3)
              .build();
      String[] parts = bucketAndKey(uri);
      this.bucket = parts[0];
      this.key = parts[1];
    }

    @Override
    public Versioned read() {
      try {
        ResponseBytes<GetObjectResponse> object =
            client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        return new Versioned(object.asByteArray(), object.response().eTag());
      } catch (NoSuchKeyException e) {
        return null;
      }
    }

    @Override
    public String createIfAbsent(byte[] content) {
      return put(content, "If-None-Match", "*");
    }

    @Override
    public String replaceIfMatch(byte[] content, String version) {
      return put(content, "If-Match", version);
    }

    private String put(byte[] content, String header, String value) {
      try {
        return client
            .putObject(
                b ->
                    b.bucket(bucket)
                        .key(key)
                        .contentType("application/json")
                        .overrideConfiguration(o -> o.putHeader(header, value)),
                RequestBody.fromBytes(content))
            .eTag();
      } catch (S3Exception e) {
        if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
          return null;
        }
        throw e;
      }
    }

    @Override
    public void deleteIfMatch(String version) {
      try {
        client.deleteObject(
            b ->
                b.bucket(bucket)
                    .key(key)
                    .overrideConfiguration(o -> o.putHeader("If-Match", version)));
      } catch (S3Exception e) {
        if (e.statusCode() != 412 && e.statusCode() != 404) {
          throw e;
        }
      }
    }

    @Override
    public void close() {
      client.close();
    }
  }

  /** Azure's conditional Put Blob: {@code If-None-Match: *}, or {@code If-Match: <ETag>}. */
  final class AzureBlob implements LeaseStore {
    private final BlockBlobClient blob;

    AzureBlob(PipelineOptions options, String uri) {
      BlobstoreOptions azure = options.as(BlobstoreOptions.class);
      BlobServiceClient service =
          InstanceBuilder.ofType(BlobstoreClientBuilderFactory.class)
              .fromClass(azure.getBlobstoreClientFactoryClass())
              .build()
              .createBuilder(azure)
              .buildClient();
      // azfs://account/container/path
      String[] parts = uri.substring("azfs://".length()).split("/", 3);
      this.blob =
          service.getBlobContainerClient(parts[1]).getBlobClient(parts[2]).getBlockBlobClient();
    }

    @Override
    public Versioned read() {
      try {
        BlobDownloadContentResponse response =
            blob.downloadContentWithResponse(null, null, null, Context.NONE);
        return new Versioned(
            response.getValue().toBytes(), response.getDeserializedHeaders().getETag());
      } catch (BlobStorageException e) {
        if (e.getStatusCode() == 404) {
          return null;
        }
        throw e;
      }
    }

    @Override
    public String createIfAbsent(byte[] content) {
      return put(content, new BlobRequestConditions().setIfNoneMatch("*"));
    }

    @Override
    public String replaceIfMatch(byte[] content, String version) {
      return put(content, new BlobRequestConditions().setIfMatch(version));
    }

    private String put(byte[] content, BlobRequestConditions conditions) {
      try {
        return blob.uploadWithResponse(
                new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(content))
                    .setHeaders(new BlobHttpHeaders().setContentType("application/json"))
                    .setRequestConditions(conditions),
                null,
                Context.NONE)
            .getValue()
            .getETag();
      } catch (BlobStorageException e) {
        if (e.getStatusCode() == 409 || e.getStatusCode() == 412 || e.getStatusCode() == 404) {
          return null;
        }
        throw e;
      }
    }

    @Override
    public void deleteIfMatch(String version) {
      try {
        blob.deleteWithResponse(
            null, new BlobRequestConditions().setIfMatch(version), null, Context.NONE);
      } catch (BlobStorageException e) {
        if (e.getStatusCode() != 404 && e.getStatusCode() != 412) {
          throw e;
        }
      }
    }
  }

  /**
   * GCS generation preconditions: {@code ifGenerationMatch=0} creates only if absent, {@code
   * ifGenerationMatch=G} replaces or deletes only generation G (412 otherwise).
   */
  final class Gcs implements LeaseStore {
    private final Storage storage;
    private final String bucket;
    private final String name;

    Gcs(PipelineOptions options, String uri) {
      this.storage = Transport.newStorageClient(options.as(GcsOptions.class)).build();
      String[] parts = bucketAndKey(uri);
      this.bucket = parts[0];
      this.name = parts[1];
    }

    @Override
    public Versioned read() throws IOException {
      try {
        StorageObject metadata = storage.objects().get(bucket, name).execute();
        // Content newer than the generation read here only makes a later precondition fail.
        try (InputStream in = storage.objects().get(bucket, name).executeMediaAsInputStream()) {
          return new Versioned(in.readAllBytes(), String.valueOf(metadata.getGeneration()));
        }
      } catch (GoogleJsonResponseException e) {
        if (e.getStatusCode() == 404) {
          return null;
        }
        throw e;
      }
    }

    @Override
    public String createIfAbsent(byte[] content) throws IOException {
      return insert(content, 0L);
    }

    @Override
    public String replaceIfMatch(byte[] content, String version) throws IOException {
      return insert(content, Long.parseLong(version));
    }

    private String insert(byte[] content, long generation) throws IOException {
      // A media upload without metadata: one request, so the precondition holds for the whole
      // write (a resumable upload's would be checked at its start only).
      Storage.Objects.Insert insert =
          storage
              .objects()
              .insert(bucket, null, new ByteArrayContent("application/json", content))
              .setName(name)
              .setIfGenerationMatch(generation);
      insert.getMediaHttpUploader().setDirectUploadEnabled(true);
      try {
        return String.valueOf(insert.execute().getGeneration());
      } catch (GoogleJsonResponseException e) {
        if (e.getStatusCode() == 412) {
          return null;
        }
        throw e;
      }
    }

    @Override
    public void deleteIfMatch(String version) throws IOException {
      try {
        storage
            .objects()
            .delete(bucket, name)
            .setIfGenerationMatch(Long.parseLong(version))
            .execute();
      } catch (GoogleJsonResponseException e) {
        if (e.getStatusCode() != 404 && e.getStatusCode() != 412) {
          throw e;
        }
      }
    }
  }

  /**
   * A local (or mounted) file. Every operation holds an OS lock on {@code .lock} beside the lease
   * (and a JVM-wide monitor, since the OS lock is per process), so a read never sees a half-written
   * file and a compare-and-swap cannot interleave with another process's. The lock file stays: a
   * deleted one could be locked by two processes through two different inodes.
   */
  final class LocalFile implements LeaseStore {
    private static final Object IN_THIS_JVM = new Object();

    private final Path file;
    private final Path lock;

    LocalFile(Path file) {
      this.file = file;
      // The lock lives outside the destination, so that a run leaves nothing there but its data;
      // every run of this machine that names the same lease file takes the same lock.
      this.lock =
          Path.of(System.getProperty("java.io.tmpdir"), "lakeroute-leases")
              .resolve(
                  sha256(file.toAbsolutePath().normalize().toString().getBytes(UTF_8)) + ".lock");
    }

    @FunctionalInterface
    private interface Locked<T> {
      T run() throws IOException;
    }

    private <T> T locked(Locked<T> body) throws IOException {
      synchronized (IN_THIS_JVM) {
        Files.createDirectories(lock.getParent());
        try (FileChannel channel =
                FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.lock()) {
          Files.createDirectories(file.getParent());
          return body.run();
        }
      }
    }

    @Override
    public Versioned read() throws IOException {
      return locked(
          () -> {
            if (!Files.exists(file)) {
              return null;
            }
            byte[] content = Files.readAllBytes(file);
            return new Versioned(content, sha256(content));
          });
    }

    @Override
    public String createIfAbsent(byte[] content) throws IOException {
      return locked(
          () -> {
            try {
              Files.write(file, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
              return sha256(content);
            } catch (FileAlreadyExistsException e) {
              return null;
            }
          });
    }

    @Override
    public String replaceIfMatch(byte[] content, String version) throws IOException {
      return locked(
          () -> {
            if (!Files.exists(file) || !sha256(Files.readAllBytes(file)).equals(version)) {
              return null;
            }
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.write(next, content);
            Files.move(
                next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return sha256(content);
          });
    }

    @Override
    public void deleteIfMatch(String version) throws IOException {
      locked(
          () -> {
            if (Files.exists(file) && sha256(Files.readAllBytes(file)).equals(version)) {
              Files.delete(file);
              try {
                // The leases folder goes with its last lease; under the lock, no run is creating
                // one.
                Files.delete(file.getParent());
              } catch (DirectoryNotEmptyException stillInUse) {
                // Another run id's lease is in it.
              }
            }
            return null;
          });
    }

    private static String sha256(byte[] content) {
      try {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
