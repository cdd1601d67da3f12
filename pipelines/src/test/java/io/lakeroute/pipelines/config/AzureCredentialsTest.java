package io.lakeroute.pipelines.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lakeroute.delivery.AzureBlobClientBuilderFactory;
import io.lakeroute.delivery.DeliveryException;
import io.lakeroute.pipelines.Lakeroute;
import io.lakeroute.pipelines.options.RouteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an azfs:// destination's credential is chosen and handed to Beam's Blobstore options. */
class AzureCredentialsTest {
  private static final String DESTINATION = "azfs://lakeacct/exports/customers";
  private static final Map<String, String> NO_ENV = Map.of();

  @TempDir Path temp;

  @Test
  void anAccountKeyFromTheDefaultVariable() {
    RouteOptions options = Lakeroute.parse();
    String used =
        Stores.configure(options, DESTINATION, Map.of("AZURE_STORAGE_KEY", "a2V5\n")::get);
    assertThat(
        used,
        equalTo(
            "account key from environment variable AZURE_STORAGE_KEY for storage account"
                + " lakeacct"));
    assertThat(options.getAccessKey(), equalTo("a2V5"));
    assertThat(options.getAccountName(), equalTo("lakeacct"));
    assertThat(options.getBlobServiceEndpoint(), equalTo("https://lakeacct.blob.core.windows.net"));
    assertThat(
        options.getBlobstoreClientFactoryClass(), equalTo(AzureBlobClientBuilderFactory.class));
  }

  @Test
  void aFileWinsOverTheEnvironmentAndASasTokenStartsWithAQuestionMark() throws Exception {
    Path sas = Files.writeString(temp.resolve("sas"), "sv=2024&sig=abc\n");
    RouteOptions options = Lakeroute.parse("--azureSasTokenFile=" + sas);
    String used = Stores.configure(options, DESTINATION, Map.of("AZURE_STORAGE_KEY", "a2V5")::get);
    assertThat(used, containsString("SAS token from --azureSasTokenFile=" + sas));
    assertThat(options.getSasToken(), equalTo("?sv=2024&sig=abc"));
    assertThat(options.getAccessKey(), nullValue());
  }

  @Test
  void aConnectionStringKeepsItsOwnEndpoint() throws Exception {
    Path file =
        Files.writeString(
            temp.resolve("cs"),
            "DefaultEndpointsProtocol=https;AccountName=lakeacct;AccountKey=a2V5;");
    RouteOptions options = Lakeroute.parse("--azureConnectionStringFile=" + file);
    String used = Stores.configure(options, DESTINATION, NO_ENV::get);
    assertThat(used, containsString("connection string from --azureConnectionStringFile="));
    assertThat(options.getBlobServiceEndpoint(), nullValue());
    assertThat(used, not(containsString("a2V5")));
  }

  @Test
  void withoutASecretTheDefaultCredentialChainIssuesAUserDelegationSas() {
    RouteOptions options = Lakeroute.parse();
    String used =
        AzureCredentials.configure(
            options,
            DESTINATION,
            NO_ENV::get,
            (o, container, validity) -> "sv=2024&skoid=x&sig=" + container + validity.toHours());
    assertThat(
        used,
        equalTo(
            "a user-delegation SAS for container exports (24 h), issued with the default Azure"
                + " credential chain for storage account lakeacct"));
    assertThat(options.getSasToken(), equalTo("?sv=2024&skoid=x&sig=exports24"));
  }

  @Test
  void withoutAnyCredentialTheRunStopsBeforeReading() {
    DeliveryException e =
        assertThrows(
            DeliveryException.class,
            () ->
                AzureCredentials.configure(
                    Lakeroute.parse(),
                    DESTINATION,
                    NO_ENV::get,
                    (o, container, validity) -> {
                      throw new IllegalStateException(
                          "DefaultAzureCredential failed to retrieve a token\nmore detail");
                    }));
    assertThat(
        e.getMessage(),
        containsString(
            "could not get a user-delegation key (IllegalStateException: DefaultAzureCredential"
                + " failed to retrieve a token)"));
    assertThat(e.getMessage(), containsString("Nothing was read."));
  }

  @Test
  void twoSecretsInTheEnvironmentAreAmbiguous() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Stores.configure(
                    Lakeroute.parse(),
                    DESTINATION,
                    Map.of("AZURE_STORAGE_KEY", "k", "AZURE_STORAGE_SAS_TOKEN", "s")::get));
    assertThat(e.getMessage(), containsString("More than one Azure secret is set"));
    assertThat(e.getMessage(), not(containsString("=k")));
  }

  @Test
  void secretsAsFlagsAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Stores.configure(Lakeroute.parse("--sasToken=sig"), DESTINATION, NO_ENV::get));
    assertThat(e.getMessage(), containsString("--sasToken would show the secret"));
    assertThat(e.getMessage(), not(containsString("sig")));
  }

  @Test
  void aMissingOrEmptySecretFileNamesTheFlag() throws Exception {
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Stores.configure(
                    Lakeroute.parse("--azureAccountKeyFile=" + temp.resolve("absent")),
                    DESTINATION,
                    NO_ENV::get));
    assertThat(missing.getMessage(), containsString("--azureAccountKeyFile="));
    assertThat(missing.getMessage(), containsString("does not exist"));
    Path empty = Files.writeString(temp.resolve("empty"), "\n");
    IllegalArgumentException blank =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Stores.configure(
                    Lakeroute.parse("--azureAccountKeyFile=" + empty), DESTINATION, NO_ENV::get));
    assertThat(blank.getMessage(), containsString("is empty"));
  }

  @Test
  void aDestinationWithoutAContainerIsRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Stores.configure(Lakeroute.parse(), "azfs://lakeacct", NO_ENV::get));
    assertThat(e.getMessage(), containsString("names no container"));
  }
}
