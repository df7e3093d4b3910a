package dev.tollgate.proxy;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/** Runs a test class only where a Docker engine answers; elsewhere skips it and says why. */
final class DockerRequired implements ExecutionCondition {

  static final String SKIPPED =
      "skipped: no Docker engine is reachable, so LocalStack cannot start here. DynamoDB Local and "
          + "loopback fakes cover the same paths in the other tests; run this where Docker runs.";

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (DockerClientFactory.instance().isDockerAvailable()) {
      return ConditionEvaluationResult.enabled("a Docker engine is available");
    }
    System.err.println(context.getDisplayName() + " " + SKIPPED);
    return ConditionEvaluationResult.disabled(SKIPPED);
  }
}
