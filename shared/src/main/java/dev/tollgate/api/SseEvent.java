package dev.tollgate.api;

/** One server-sent event as received: its {@code event:} name (empty when none) and its data lines joined. */
public record SseEvent(String event, String data) {}
