package dev.tollgate.aws;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.tollgate.moderation.GuardrailSource;
import dev.tollgate.moderation.GuardrailUnavailableException;
import dev.tollgate.moderation.GuardrailVerdict;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * {@link BedrockGuardrail} against ApplyGuardrail's documented wire format: the request it sends,
 * and what of an answer may travel on (the guardrail's own words and its policies' names, never
 * a {@code match} or an anonymized copy of the text).
 */
class BedrockGuardrailWireTest {

  private static WireMockServer bedrock;
  private static BedrockGuardrail guardrail;

  @BeforeAll
  static void start() {
    bedrock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
    bedrock.start();
    guardrail = new BedrockGuardrail(AwsClients.bedrockRuntime(Region.US_EAST_1, Optional.of(URI.create(bedrock.baseUrl()))));
  }

  @AfterAll
  static void stop() {
    bedrock.stop();
  }

  @BeforeEach
  void reset() {
    bedrock.resetAll();
  }

  private static void answer(String body) {
    bedrock.stubFor(post(urlEqualTo("/guardrail/gr1abc/version/DRAFT/apply")).willReturn(okJson(body)));
  }

  @Test
  void sendsTheTextAsOneTextBlockWithItsSource() throws Exception {
    answer("{\"action\": \"NONE\", \"outputs\": [], \"assessments\": [{}]}");

    assertEquals(GuardrailVerdict.PASSED, guardrail.assess("gr1abc", "DRAFT", "hello there", GuardrailSource.OUTPUT));

    bedrock.verify(postRequestedFor(urlEqualTo("/guardrail/gr1abc/version/DRAFT/apply"))
        .withRequestBody(equalToJson("{\"source\": \"OUTPUT\", \"content\": [{\"text\": {\"text\": \"hello there\"}}]}")));
  }

  @Test
  void anInterventionCarriesTheBlockedMessageAndThePoliciesThatActedButNoMatch() throws Exception {
    answer(
        """
        {"action": "GUARDRAIL_INTERVENED", "outputs": [{"text": "We cannot discuss this."}],
         "assessments": [{
           "topicPolicy": {"topics": [{"name": "Weapons", "type": "DENY", "action": "BLOCKED"}]},
           "contentPolicy": {"filters": [{"type": "VIOLENCE", "confidence": "HIGH", "action": "BLOCKED"},
                                         {"type": "INSULTS", "confidence": "NONE", "action": "NONE"}]},
           "wordPolicy": {"customWords": [{"match": "secretword", "action": "BLOCKED"}]},
           "sensitiveInformationPolicy": {"piiEntities": [{"match": "bob@example.com", "type": "EMAIL", "action": "ANONYMIZED"}]}
         }]}
        """);

    GuardrailVerdict verdict = guardrail.assess("gr1abc", "DRAFT", "a prompt with secretword and bob@example.com", GuardrailSource.INPUT);

    assertTrue(verdict.intervened());
    assertEquals("We cannot discuss this.", verdict.reason());
    assertEquals("topicPolicy:Weapons, contentPolicy:VIOLENCE, wordPolicy:customWords, sensitiveInformationPolicy:EMAIL",
        verdict.policies());
    assertFalse(verdict.toString().contains("secretword") || verdict.toString().contains("bob@example.com"));
  }

  @Test
  void anAnonymizedCopyOfTheTextIsNeverTheReason() throws Exception {
    answer(
        """
        {"action": "GUARDRAIL_INTERVENED", "outputs": [{"text": "write to {EMAIL} about the plan"}],
         "assessments": [{"sensitiveInformationPolicy": {"piiEntities": [
           {"match": "bob@example.com", "type": "EMAIL", "action": "ANONYMIZED"}]}}]}
        """);

    GuardrailVerdict verdict = guardrail.assess("gr1abc", "DRAFT", "write to bob@example.com about the plan", GuardrailSource.INPUT);

    assertTrue(verdict.intervened());
    assertEquals("", verdict.reason());
    assertEquals("sensitiveInformationPolicy:EMAIL", verdict.policies());
  }

  @Test
  void anErrorNamesTheStatusAndCodeOnly() {
    bedrock.stubFor(post(urlEqualTo("/guardrail/gr1abc/version/DRAFT/apply"))
        .willReturn(WireMock.aResponse().withStatus(400).withHeader("x-amzn-ErrorType", "ValidationException")
            .withHeader("content-type", "application/json")
            .withBody("{\"message\": \"the text 'top secret prompt' is invalid\"}")));

    GuardrailUnavailableException e =
        assertThrows(GuardrailUnavailableException.class, () -> guardrail.assess("gr1abc", "DRAFT", "top secret prompt", GuardrailSource.INPUT));
    assertEquals("ApplyGuardrail answered 400 ValidationException", e.getMessage());
  }
}
