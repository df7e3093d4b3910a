package dev.tollgate.provider;

import dev.tollgate.api.ChatRequest;
import dev.tollgate.routing.Target;
import java.time.Duration;
import java.util.Optional;

/** One attempt to have a target answer a chat request, within {@code timeout}. */
public record UpstreamCall(
    Target target, ChatRequest request, Optional<Secret> credential, Duration timeout, String requestId) {}
