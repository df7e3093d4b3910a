package dev.tollgate.config;

import static dev.tollgate.config.Validation.onlyError;
import static dev.tollgate.config.Validation.onlyTarget;
import static dev.tollgate.config.Validation.openAi;
import static dev.tollgate.config.Validation.validate;
import static dev.tollgate.testing.ConfigItems.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.api.Json;
import dev.tollgate.provider.CredentialRef;
import dev.tollgate.routing.Target;
import dev.tollgate.testing.ConfigItems;
import dev.tollgate.testing.StandardProviders;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules for one target item: provider, model, URL, credential, numbers, flags and provider options. */
class TargetReaderTest {

  // --- targets: provider, model, baseUrl, credential

  @Test
  void anUnknownProviderListsTheKnownTypes() {
    ConfigItem item = openAi("t").with("provider", "opnai").build();

    ConfigError error = onlyError(item, "provider", "provider = \"opnai\": expected one of [");

    for (String type : StandardProviders.registry().types()) {
      assertTrue(error.expected().contains(type), error.message());
    }
    assertEquals("one of " + new TreeSet<>(StandardProviders.registry().types()), error.expected());
    assertTrue(validate(item).config().routes().isEmpty(), "no half-valid target");
  }

  @Test
  void aMissingProviderIsNamed() {
    onlyError(openAi("t").without("provider").build(), "provider", "provider is missing: expected one of [");
  }

  @Test
  void aProviderWithoutADefaultModelNeedsOne() {
    onlyError(openAi("t").without("model").build(), "model", "model is missing: expected the upstream model name");
  }

  @Test
  void aModelNameMayNotCarryControlCharacters() {
    onlyError(openAi("t").with("model", "gpt\n4").build(), "model", "expected the upstream model name");
  }

  @Test
  void theMockProviderFillsInItsModel() {
    Target target = onlyTarget(target("chat", "m").with("provider", "mock").build());

    assertEquals("mock-echo", target.model());
  }

  @ParameterizedTest
  @ValueSource(strings = {"azure-openai", "openai-compatible", "vllm"})
  void providersWithoutAPublicEndpointNeedABaseUrl(String provider) {
    ConfigItem item = openAi("t").with("provider", provider).build();

    onlyError(item, "baseUrl", "baseUrl is missing: expected an absolute http:// or https:// URL");
    assertTrue(validate(item).errors().getFirst().message().contains("provider '" + provider + "' has no default"));
  }

  @Test
  void aVendorWithAPublicEndpointUsesItByDefault() {
    assertEquals("https://api.openai.com/v1", onlyTarget(openAi("t").build()).baseUrl());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://models.example.com/v1",
        "https://models.example.com/v1?api-key=x",
        "https://models.example.com/v1#top",
        "models.example.com/v1",
        "https://",
        "http:///v1",
        "not a url"
      })
  void aBaseUrlMustBeAnHttpUrlWithoutQueryOrFragment(String url) {
    onlyError(openAi("t").with("provider", "vllm").with("baseUrl", url).build(), "baseUrl", "expected an absolute http:// or https:// URL");
  }

  @Test
  void aBaseUrlLosesItsTrailingSlash() {
    Target target = onlyTarget(openAi("t").with("provider", "vllm").with("baseUrl", "http://10.0.0.5:8000/v1/").build());

    assertEquals("http://10.0.0.5:8000/v1", target.baseUrl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "deepseek", "mistral", "azure-openai", "volcengine-ark"})
  void hostedVendorsNeedACredential(String provider) {
    ConfigItem item =
        openAi("t").with("provider", provider).with("baseUrl", "https://x.example.com").without("credential").build();

    onlyError(item, "credential", "credential is missing: expected 'env:VARIABLE' or 'secret:SECRET_NAME'");
    assertTrue(validate(item).errors().getFirst().message().contains("provider '" + provider + "' needs an API key"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ollama", "vllm", "openai-compatible", "mock"})
  void selfHostedProvidersNeedNoCredential(String provider) {
    Target target =
        onlyTarget(openAi("t").with("provider", provider).with("baseUrl", "http://127.0.0.1:9/v1").without("credential").build());

    assertEquals(Optional.empty(), target.credential());
  }

  @ParameterizedTest
  @ValueSource(strings = {"OPENAI_API_KEY", "env:", "env:1ST", "env:HAS-DASH", "secret:", "secret:name#", "vault:openai"})
  void aCredentialMustBeAnEnvOrSecretReference(String credential) {
    onlyError(openAi("t").with("credential", credential).build(), "credential", "expected " + CredentialRef.FORMAT);
  }

  @Test
  void aKeyPastedAsTheCredentialIsNeverEchoed() {
    String pasted = "sk-proj-Zx81mQ0pLw5rT7yU2vB9nC4dE6fG";
    String azureStyle = "0123456789abcdef0123456789abcdef";

    ConfigError prefixed = onlyError(openAi("t").with("credential", pasted).build(), "credential", "expected");
    ConfigError bare = onlyError(openAi("t").with("credential", azureStyle).build(), "credential", "expected");

    assertFalse(prefixed.message().contains(pasted), prefixed.message());
    assertFalse(bare.message().contains(azureStyle), bare.message());
  }

  @Test
  void aKeyPastedIntoAMisspelledFieldIsNotEchoed() {
    String pasted = "sk-proj-Zx81mQ0pLw5rT7yU2vB9nC4dE6fG";

    ConfigError error = onlyError(openAi("t").with("apiKey", pasted).build(), "apiKey", "no such field");

    assertFalse(error.message().contains(pasted), error.message());
  }

  @Test
  void credentialReferencesAreParsed() {
    assertEquals(
        CredentialRef.parse("secret:tollgate/providers#openai"),
        onlyTarget(openAi("t").with("credential", "secret:tollgate/providers#openai").build()).credential());
  }

  // --- targets: numbers and flags

  @ParameterizedTest
  @ValueSource(strings = {"-1", "1000001", "2.5", "\"60\"", "true"})
  void weightIsAnIntegerFromZeroToAMillion(String weight) {
    onlyError(openAi("t").with("weight", Json.parse(weight)).build(), "weight", "expected an integer from 0 to 1000000");
  }

  @Test
  void weightAtTheBoundsAndItsDefault() {
    assertEquals(0, onlyTarget(openAi("t").with("weight", 0).build()).weight());
    assertEquals(1_000_000, onlyTarget(openAi("t").with("weight", 1_000_000).build()).weight());
    assertEquals(1, onlyTarget(openAi("t").build()).weight());
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 1001})
  void priorityIsAnIntegerFromZeroToAThousand(int priority) {
    onlyError(openAi("t").with("priority", priority).build(), "priority", "priority = " + priority + ": expected an integer from 0 to 1000");
  }

  @ParameterizedTest
  @ValueSource(ints = {99, 900_001})
  void timeoutIsFromATenthOfASecondToFifteenMinutes(int timeoutMs) {
    onlyError(openAi("t").with("timeoutMs", timeoutMs).build(), "timeoutMs", "expected an integer from 100 to 900000");
  }

  @Test
  void numbersHaveDefaults() {
    Target target = onlyTarget(openAi("t").build());

    assertEquals(1, target.priority());
    assertEquals(Duration.ofSeconds(30), target.timeout());
    assertTrue(target.enabled());
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"yes\"", "\"true\"", "1"})
  void enabledIsABoolean(String enabled) {
    onlyError(openAi("t").with("enabled", Json.parse(enabled)).build(), "enabled", "expected true or false");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-0.01", "100001", "\"cheap\""})
  void pricesAreNumbersInRange(String price) {
    onlyError(
        openAi("t").with("priceInputPerMillion", Json.parse(price)).build(),
        "priceInputPerMillion",
        "expected a number from 0 to 100000");
  }

  @Test
  void pricesAreKeptExactly() {
    Target target = onlyTarget(openAi("t").with("priceInputPerMillion", new BigDecimal("0.15")).with("priceOutputPerMillion", 0.6).build());

    assertEquals(0, new BigDecimal("0.15").compareTo(target.priceInputPerMillion()));
    assertEquals(0, new BigDecimal("0.6").compareTo(target.priceOutputPerMillion()));
  }

  @Test
  void aMisspelledFieldIsAnErrorNamingTheAllowedOnes() {
    ConfigItem item = openAi("t").with("wieght", 60).build();

    ConfigError error = onlyError(item, "wieght", "wieght = 60: expected no such field; allowed: ");

    assertTrue(error.expected().contains("weight"), error.message());
    assertTrue(validate(item).config().routes().isEmpty());
  }

  @Test
  void everyMistakeOfAnItemIsReported() {
    List<ConfigError> errors = validate(openAi("t").with("weight", -1).with("priority", "high").without("model").build()).errors();

    assertEquals(Set.of("weight", "priority", "model"), Set.copyOf(errors.stream().map(ConfigError::field).toList()));
  }

  @Test
  void aDescriptionIsPlainText() {
    onlyError(openAi("t").with("description", "line\u0007bell").build(), "description", "expected text of up to 512 characters");
  }

  // --- provider options

  @Test
  void azureApiVersionMustLookLikeOne() {
    ConfigItems.Builder azure =
        openAi("t").with("provider", "azure-openai").with("baseUrl", "https://res.openai.azure.com");

    onlyError(azure.with("apiVersion", "2024-10").build(), "apiVersion", "expected an api-version such as 2024-10-21");
    assertEquals("2025-01-01-preview", onlyTarget(azure.with("apiVersion", "2025-01-01-preview").build()).option("apiVersion", null));
  }

  @Test
  void anOptionOfAnotherProviderIsAnUnknownField() {
    onlyError(openAi("t").with("apiVersion", "2024-10-21").build(), "apiVersion", "no such field");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "600001", "\"fast\"", "1.5"})
  void mockLatencyIsFromZeroToTenMinutes(String latency) {
    onlyError(
        target("chat", "m").with("provider", "mock").with("latencyMs", Json.parse(latency)).build(),
        "latencyMs",
        "expected an integer from 0 to 600000");
  }

  @Test
  void mockLatencyIsKeptAsAnOption() {
    assertEquals("250", onlyTarget(target("chat", "m").with("provider", "mock").with("latencyMs", 250).build()).option("latencyMs", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bad id!", "-dash-first", "with/slash"})
  void aTargetIdMustBeValid(String id) {
    onlyError(target("chat", id).with("provider", "mock").build(), "sk", "expected 'target#' followed by an id of 1 to 64 characters");
  }

  @Test
  void aTargetIdHasAtMost64Characters() {
    onlyError(target("chat", "x".repeat(65)).with("provider", "mock").build(), "sk", "1 to 64 characters");
    assertEquals("x".repeat(64), onlyTarget(target("chat", "x".repeat(64)).with("provider", "mock").build()).id());
  }

  @Test
  void aFullTargetIsReadFieldByField() {
    Target target =
        onlyTarget(
            target("chat", "azure-east")
                .with("provider", "azure-openai")
                .with("model", "gpt-4o")
                .with("baseUrl", "https://east.openai.azure.com/")
                .with("credential", "secret:tollgate/azure#east")
                .with("weight", 70)
                .with("priority", 2)
                .with("timeoutMs", 12_000)
                .with("enabled", false)
                .with("priceInputPerMillion", 2.5)
                .with("priceOutputPerMillion", 10)
                .with("description", "primary region")
                .with("apiVersion", "2024-10-21")
                .build());

    assertEquals("azure-east", target.id());
    assertEquals("chat", target.alias());
    assertEquals("azure-openai", target.provider());
    assertEquals("gpt-4o", target.model());
    assertEquals("https://east.openai.azure.com", target.baseUrl());
    assertEquals(CredentialRef.parse("secret:tollgate/azure#east"), target.credential());
    assertEquals(70, target.weight());
    assertEquals(2, target.priority());
    assertEquals(Duration.ofMillis(12_000), target.timeout());
    assertFalse(target.enabled());
    assertEquals(0, new BigDecimal("2.5").compareTo(target.priceInputPerMillion()));
    assertEquals(0, BigDecimal.TEN.compareTo(target.priceOutputPerMillion()));
    assertEquals("2024-10-21", target.option("apiVersion", null));
  }
}
