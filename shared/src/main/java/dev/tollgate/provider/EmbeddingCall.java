package dev.tollgate.provider;

import dev.tollgate.api.EmbeddingsRequest;
import dev.tollgate.routing.Target;
import java.time.Duration;
import java.util.Optional;

/** One attempt to have a target embed a request's inputs, within {@code timeout}. */
public record EmbeddingCall(
    Target target, EmbeddingsRequest request, Optional<Secret> credential, Duration timeout, String requestId) {}
