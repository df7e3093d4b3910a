package dev.tollgate.gateway;

import dev.tollgate.pipeline.Exchange;
import dev.tollgate.pipeline.SseBody;
import dev.tollgate.pipeline.SseSink;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.UpstreamFailure;
import java.io.IOException;

/**
 * A streamed answer's life, whatever the client format: a client found gone cancels the upstream,
 * the stream is closed however the body ends, an upstream break after the first chunk is told to
 * the client in its format, and the usage read so far goes to the exchange, whose completion
 * hooks then run once.
 */
abstract class ChunkStreamBody implements SseBody {

  private final ChunkStream chunks;
  private final Exchange exchange;

  ChunkStreamBody(ChunkStream chunks, Exchange exchange) {
    this.chunks = chunks;
    this.exchange = exchange;
  }

  /** Writes every chunk and the format's end of stream. */
  abstract void writeChunks(ChunkStream chunks, SseSink sink) throws IOException, UpstreamFailure;

  /** Ends the stream after an upstream break, with {@code message} in the format's error event. */
  abstract void writeBroken(String message, SseSink sink) throws IOException;

  @Override
  public final void writeTo(SseSink sink) throws IOException {
    String outcome = "ok";
    sink.whenClientGone(chunks::close);
    try (chunks) {
      writeChunks(chunks, sink);
    } catch (UpstreamFailure failure) {
      outcome = failure.kind().label();
      String target = exchange.answeredBy().orElse("the upstream");
      writeBroken(
          "Target '" + target + "' failed after the stream had started (" + failure.kind().label() + ").", sink);
    } catch (IOException | RuntimeException e) {
      outcome = "client disconnected";
      throw e;
    } finally {
      exchange.usage(chunks.usage());
      exchange.complete(outcome);
    }
  }
}
