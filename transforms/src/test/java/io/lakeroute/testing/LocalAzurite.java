package io.lakeroute.testing;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.common.sas.AccountSasPermission;
import com.azure.storage.common.sas.AccountSasResourceType;
import com.azure.storage.common.sas.AccountSasService;
import com.azure.storage.common.sas.AccountSasSignatureValues;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * An Azure Blob Storage server on 127.0.0.1, in its own process, for tests that deliver to {@code
 * azfs://}: Azurite (npm {@code azurite}, version pinned in {@code
 * src/local-cloud/azure/package-lock.json}), started as {@code azurite-blob} on a free port with
 * its data in a temp dir.
 *
 * <p>Azurite serves one account, {@value #ACCOUNT}, with a well-known key, and ignores the account
 * part of {@code azfs://account/container/…}: requests go to {@link #blobEndpoint()}. It cannot
 * create containers on Beam's behalf (Beam never asks), so tests create them with {@link
 * #createContainer}. It needs Node.js and {@code npm ci --prefix src/local-cloud/azure}, which the
 * build runs (see {@link LocalNodeServer}); the install directory comes from system property
 * {@value #DIR_PROPERTY}.
 *
 * <pre>{@code
 * LocalAzurite azurite = LocalAzurite.shared();
 * azurite.createContainer("lake");
 * PipelineOptions options = PipelineOptionsFactory.fromArgs(azurite.beamArgs()).create();
 * FileSystems.setDefaultPipelineOptions(options); // azfs://devstoreaccount1/lake/… reaches it
 * }</pre>
 *
 * <p>{@link #stop()} and {@link #start()} restart the server on the same port and data. A test that
 * stops the {@link #shared()} instance must start it again.
 */
public final class LocalAzurite extends LocalNodeServer {
  public static final String DIR_PROPERTY = "lakeroute.azurite.dir";
  public static final String ACCOUNT = "devstoreaccount1";

  /** Azurite's documented development key; it protects nothing. */
  public static final String KEY =
      "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

  /**
   * The port of hadoop-azure's storage-emulator mode: its WASB driver reaches the emulator account
   * only at http://127.0.0.1:10000 (the legacy SDK's {@code
   * CloudStorageAccount.getDevelopmentStorageAccount()} has the port built in).
   */
  public static final int EMULATOR_PORT = 10000;

  private BlobServiceClient client;

  /** One server per JVM, started on first use and stopped when the JVM exits. */
  public static LocalAzurite shared() {
    return shared(LocalAzurite.class, LocalAzurite::new);
  }

  /**
   * One server per JVM on {@value #EMULATOR_PORT}, for tests where the Databricks stand-in reads
   * what Beam wrote. Fails, saying why, when something else holds the port.
   */
  public static LocalAzurite onEmulatorPort() {
    return shared(
        LocalAzurite.class,
        "emulator port",
        () -> {
          try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(LOOPBACK, EMULATOR_PORT));
          } catch (IOException e) {
            throw new IllegalStateException(
                "port "
                    + EMULATOR_PORT
                    + " on "
                    + LOOPBACK
                    + " is taken; the Databricks stand-in reads Azurite through hadoop-azure's"
                    + " storage-emulator mode, which only connects to that port. Free it and"
                    + " re-run.",
                e);
          }
          return new LocalAzurite(EMULATOR_PORT);
        });
  }

  /** A server of its own on a free port, started by {@link #start()}; close it when done. */
  public LocalAzurite() {
    this(0);
  }

  /** A server of its own on {@code port} (0: a free one). */
  public LocalAzurite(int port) {
    super(
        "Azurite", DIR_PROPERTY, "src/local-cloud/azure", "azurite", Duration.ofSeconds(20), port);
  }

  /** {@code http://127.0.0.1:port/devstoreaccount1}, Beam's {@code --blobServiceEndpoint}. */
  public String blobEndpoint() {
    return "http://" + LOOPBACK + ":" + port() + "/" + ACCOUNT;
  }

  /** A connection string with the account key, as the Azure portal shows one. */
  public String connectionString() {
    return "DefaultEndpointsProtocol=http;AccountName="
        + ACCOUNT
        + ";AccountKey="
        + KEY
        + ";BlobEndpoint="
        + blobEndpoint()
        + ";";
  }

  /**
   * Flags that point Beam's azfs filesystem at this server with the account key. For tests that use
   * Beam directly; a lakeroute run takes the key from a file or the environment instead.
   */
  public String[] beamArgs() {
    List<String> args = new ArrayList<>(List.of(endpointArgs()));
    args.add("--accessKey=" + KEY);
    args.add("--blobstoreClientFactoryClass=io.lakeroute.delivery.AzureBlobClientBuilderFactory");
    return args.toArray(new String[0]);
  }

  /** The endpoint and account flags alone, for runs that bring their own credential. */
  public String[] endpointArgs() {
    return new String[] {"--blobServiceEndpoint=" + blobEndpoint(), "--accountName=" + ACCOUNT};
  }

  /** A file holding the account key, for {@code --azureAccountKeyFile}. */
  public Path keyFile() {
    return secretFile("account-key", KEY);
  }

  /** A file holding {@code secret}, in the server's temp dir (deleted with it). */
  public Path secretFile(String name, String secret) {
    try {
      Path file = Files.createTempFile(dir(), name + "-", ".secret");
      Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An account SAS for the blob service with {@code permissions} (e.g. "racwdl"), valid 1 h. */
  public String accountSas(String permissions) {
    return client()
        .generateAccountSas(
            new AccountSasSignatureValues(
                OffsetDateTime.now().plusHours(1),
                AccountSasPermission.parse(permissions),
                AccountSasService.parse("b"),
                AccountSasResourceType.parse("co")));
  }

  /** Creates a container; one that exists already is fine. */
  public void createContainer(String container) {
    client().getBlobContainerClient(container).createIfNotExists();
  }

  public void deleteContainer(String container) {
    client().getBlobContainerClient(container).deleteIfExists();
  }

  /** Names of the blobs under the prefix, sorted. */
  public List<String> blobs(String container, String prefix) {
    BlobContainerClient blobs = client().getBlobContainerClient(container);
    List<String> names = new ArrayList<>();
    for (BlobItem item : blobs.listBlobs(new ListBlobsOptions().setPrefix(prefix), null)) {
      names.add(item.getName());
    }
    names.sort(null);
    return names;
  }

  public void put(String container, String name, byte[] content) {
    client()
        .getBlobContainerClient(container)
        .getBlobClient(name)
        .upload(BinaryData.fromBytes(content), true);
  }

  public byte[] get(String container, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client().getBlobContainerClient(container).getBlobClient(name).downloadStream(out);
    return out.toByteArray();
  }

  @Override
  protected List<String> command() {
    return node(
        "node_modules/azurite/dist/src/blob/main.js",
        "--blobHost",
        LOOPBACK,
        "--blobPort",
        String.valueOf(port()),
        "--location",
        dir().resolve("data").toString(),
        "--skipApiVersionCheck",
        "--disableProductStyleUrl");
  }

  /** Ready once Azurite says it listens and accepts a connection. */
  @Override
  protected boolean ready() {
    if (!logSinceLaunch().contains("successfully listens")) {
      return false;
    }
    try (Socket socket = new Socket(LOOPBACK, port())) {
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private synchronized BlobServiceClient client() {
    if (client == null) {
      client = new BlobServiceClientBuilder().connectionString(connectionString()).buildClient();
    }
    return client;
  }
}
