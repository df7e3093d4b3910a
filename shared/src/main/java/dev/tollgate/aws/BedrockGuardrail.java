package dev.tollgate.aws;

import dev.tollgate.moderation.Guardrail;
import dev.tollgate.moderation.GuardrailSource;
import dev.tollgate.moderation.GuardrailUnavailableException;
import dev.tollgate.moderation.GuardrailVerdict;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ApplyGuardrailResponse;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAction;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailContentSource;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailOutputContent;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTextBlock;

/**
 * The guardrail port on Bedrock Guardrails' {@code ApplyGuardrail}
 * ({@code POST /guardrail/{id}/version/{version}/apply}). The verdict's reason is the
 * guardrail's output text (its configured blocked message), and its policy list names the
 * policies that acted, by name and type: the {@code match} fields, which repeat the assessed
 * text, are never read. When the only action was to anonymize, the output is the assessed text
 * with placeholders, so it is not passed on either.
 */
public final class BedrockGuardrail implements Guardrail {

  /** An input check holds a request up: a guardrail that does not answer by then counts as unavailable. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final Supplier<BedrockRuntimeClient> client;
  private final Duration timeout;

  public BedrockGuardrail(BedrockRuntimeClient client) {
    this(client, CALL_TIMEOUT);
  }

  public BedrockGuardrail(BedrockRuntimeClient client, Duration timeout) {
    this(() -> client, timeout);
  }

  /**
   * Builds its client on the first check: a gateway with no guardrail configured never pays for
   * it at cold start.
   */
  public BedrockGuardrail(Supplier<BedrockRuntimeClient> client, Duration timeout) {
    this.client = Lazy.of(client);
    this.timeout = timeout;
  }

  @Override
  public GuardrailVerdict assess(String guardrailId, String guardrailVersion, String text, GuardrailSource source)
      throws GuardrailUnavailableException {
    ApplyGuardrailResponse response;
    try {
      response =
          client.get().applyGuardrail(
              ApplyGuardrailRequest.builder()
                  .guardrailIdentifier(guardrailId)
                  .guardrailVersion(guardrailVersion)
                  .source(source == GuardrailSource.INPUT ? GuardrailContentSource.INPUT : GuardrailContentSource.OUTPUT)
                  .content(GuardrailContentBlock.fromText(GuardrailTextBlock.builder().text(text).build()))
                  .overrideConfiguration(c -> c.apiCallTimeout(timeout))
                  .build());
    } catch (BedrockRuntimeException e) {
      // Status and error code only: the service's message could quote the request.
      throw new GuardrailUnavailableException(
          "ApplyGuardrail answered " + e.statusCode() + " " + e.awsErrorDetails().errorCode(), e);
    } catch (SdkException e) {
      throw new GuardrailUnavailableException("ApplyGuardrail failed: " + e.getClass().getSimpleName(), e);
    }
    if (response.action() != GuardrailAction.GUARDRAIL_INTERVENED) {
      return GuardrailVerdict.PASSED;
    }
    Acted acted = new Acted();
    response.assessments().forEach(acted::collect);
    String reason =
        acted.onlyAnonymized()
            ? ""
            : response.outputs().stream().map(GuardrailOutputContent::text).filter(t -> t != null && !t.isBlank())
                .collect(Collectors.joining(" "));
    return new GuardrailVerdict(true, reason, String.join(", ", acted.policies));
  }

  /** The policies that acted in a set of assessments, and whether any blocked. */
  private static final class Acted {
    final Set<String> policies = new LinkedHashSet<>();
    boolean blocked;
    boolean anonymized;

    void collect(GuardrailAssessment assessment) {
      if (assessment.topicPolicy() != null) {
        assessment.topicPolicy().topics().forEach(t -> add("topicPolicy", t.name(), t.actionAsString()));
      }
      if (assessment.contentPolicy() != null) {
        assessment.contentPolicy().filters().forEach(f -> add("contentPolicy", f.typeAsString(), f.actionAsString()));
      }
      if (assessment.wordPolicy() != null) {
        assessment.wordPolicy().customWords().forEach(w -> add("wordPolicy", "customWords", w.actionAsString()));
        assessment.wordPolicy().managedWordLists().forEach(w -> add("wordPolicy", w.typeAsString(), w.actionAsString()));
      }
      if (assessment.sensitiveInformationPolicy() != null) {
        var sensitive = assessment.sensitiveInformationPolicy();
        sensitive.piiEntities().forEach(p -> add("sensitiveInformationPolicy", p.typeAsString(), p.actionAsString()));
        sensitive.regexes().forEach(r -> add("sensitiveInformationPolicy", "regex:" + r.name(), r.actionAsString()));
      }
      if (assessment.contextualGroundingPolicy() != null) {
        assessment.contextualGroundingPolicy().filters()
            .forEach(f -> add("contextualGroundingPolicy", f.typeAsString(), f.actionAsString()));
      }
      if (assessment.automatedReasoningPolicy() != null && !assessment.automatedReasoningPolicy().findings().isEmpty()) {
        policies.add("automatedReasoningPolicy");
      }
    }

    private void add(String policy, String what, String action) {
      if (action == null || action.equals("NONE")) {
        return;
      }
      policies.add(policy + ":" + what);
      if (action.equals("ANONYMIZED")) {
        anonymized = true;
      } else {
        blocked = true;
      }
    }

    boolean onlyAnonymized() {
      return anonymized && !blocked;
    }
  }
}
