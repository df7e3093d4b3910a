package dev.tollgate.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A successful answer in OpenAI's {@code chat.completion} shape, with its usage. */
public record UpstreamResponse(ObjectNode completion, Usage usage) {}
