package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.api.Json;
import dev.tollgate.provider.CredentialRef;
import dev.tollgate.provider.CredentialUnavailableException;
import dev.tollgate.testing.FakeUpstream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@link SecretsManagerCredentialResolver} with a real Secrets Manager client against a stub of
 * the service's JSON protocol ({@code POST /}, {@code X-Amz-Target: secretsmanager.GetSecretValue}).
 */
class SecretsManagerCredentialResolverTest {

  @RegisterExtension static final WireMockExtension secretsManager = FakeUpstream.server();

  private static final String AMZ_JSON = "application/x-amz-json-1.1";

  private SecretsManagerClient client;
  private SecretsManagerCredentialResolver resolver;

  @BeforeEach
  void resolver() {
    client = AwsClients.secretsManager(Region.US_EAST_1, Optional.of(URI.create(FakeUpstream.baseUrl(secretsManager))));
    resolver = new SecretsManagerCredentialResolver(client, Duration.ofMinutes(5), "tollgate/");
  }

  @AfterEach
  void closeClient() {
    client.close();
  }

  /** Answers GetSecretValue for {@code name} with {@code secretString}, as the service documents it. */
  private static void secret(String name, String secretString) {
    ObjectNode body = Json.object();
    body.put("ARN", "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name + "-a1b2c3");
    body.put("Name", name);
    body.put("VersionId", "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1");
    body.put("SecretString", secretString);
    body.putArray("VersionStages").add("AWSCURRENT");
    body.put("CreatedDate", 1.523477145713E9);
    stubGetSecretValue(name, aResponse().withStatus(200).withHeader("Content-Type", AMZ_JSON).withBody(Json.text(body)));
  }

  private static void stubGetSecretValue(String name, ResponseDefinitionBuilder response) {
    secretsManager.stubFor(
        post(urlEqualTo("/"))
            .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
            .withRequestBody(equalToJson("{\"SecretId\": \"" + name + "\"}"))
            .willReturn(response));
  }

  private static CredentialRef ref(String text) {
    return CredentialRef.parse(text).orElseThrow();
  }

  private static int calls() {
    return secretsManager.findAll(anyRequestedFor(anyUrl())).size();
  }

  @Test
  void aWholeStringSecretIsTheCredentialTrimmed() {
    secret("tollgate/openai", "sk-proj-abc123XYZ\n");

    assertEquals("sk-proj-abc123XYZ", resolver.resolve(ref("secret:tollgate/openai")).value());
    secretsManager.verify(
        1,
        postRequestedFor(urlEqualTo("/"))
            .withHeader("Authorization", matching("AWS4-HMAC-SHA256 Credential=test/.*")));
  }

  @Test
  void aJsonKeyPicksOneFieldOfAJsonSecret() {
    secret("tollgate/providers", "{\"openai\": \"sk-openai-111\", \"mistral\": \"ms-222\"}");

    assertEquals("ms-222", resolver.resolve(ref("secret:tollgate/providers#mistral")).value());
  }

  @Test
  void aMissingJsonKeyNamesTheKeyButNotTheSecretsContent() {
    secret("tollgate/providers", "{\"openai\": \"sk-openai-111\"}");

    CredentialUnavailableException e =
        assertThrows(CredentialUnavailableException.class, () -> resolver.resolve(ref("secret:tollgate/providers#azure")));

    assertEquals("credential secret:tollgate/providers#azure: the secret has no string key 'azure'", e.getMessage());
  }

  @Test
  void aJsonKeyOnASecretThatIsNotJsonIsRefusedWithoutShowingIt() {
    secret("tollgate/plain", "sk-plain-not-json-333");

    CredentialUnavailableException e =
        assertThrows(CredentialUnavailableException.class, () -> resolver.resolve(ref("secret:tollgate/plain#key")));

    assertEquals("credential secret:tollgate/plain#key: the secret is not a JSON object", e.getMessage());
    assertFalse(e.getMessage().contains("sk-plain"));
  }

  @Test
  void aSecretThatDoesNotExistIsUnavailableNamingTheReference() {
    stubGetSecretValue(
        "tollgate/missing",
        aResponse()
            .withStatus(400)
            .withHeader("Content-Type", AMZ_JSON)
            .withBody("{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}"));

    CredentialUnavailableException e =
        assertThrows(CredentialUnavailableException.class, () -> resolver.resolve(ref("secret:tollgate/missing")));

    assertEquals("credential secret:tollgate/missing could not be read (ResourceNotFoundException)", e.getMessage());
    assertEquals(1, calls(), "a missing secret is not retried");
  }

  @Test
  void aSecretOutsideTheAllowedPrefixIsRefusedWithoutAsking() {
    CredentialUnavailableException e =
        assertThrows(CredentialUnavailableException.class, () -> resolver.resolve(ref("secret:prod/database")));

    assertTrue(e.getMessage().contains("secret:prod/database"), e.getMessage());
    assertTrue(e.getMessage().contains("'tollgate/'"), e.getMessage());
    assertEquals(0, calls());
  }

  @Test
  void anEnvironmentReferenceIsNotReadFromSecretsManager() {
    assertThrows(CredentialUnavailableException.class, () -> resolver.resolve(ref("env:OPENAI_API_KEY")));

    assertEquals(0, calls());
  }

  @Test
  void resolvesWithinMaxAgeAskSecretsManagerOnce() {
    secret("tollgate/providers", "{\"openai\": \"sk-openai-111\", \"mistral\": \"ms-222\"}");

    assertEquals("sk-openai-111", resolver.resolve(ref("secret:tollgate/providers#openai")).value());
    assertEquals("sk-openai-111", resolver.resolve(ref("secret:tollgate/providers#openai")).value());
    assertEquals("ms-222", resolver.resolve(ref("secret:tollgate/providers#mistral")).value());

    assertEquals(1, calls());
  }
}
