package dev.tollgate.provider.contract;

import java.util.List;

/**
 * A loopback server standing in for one provider. The contract only says what to answer and
 * reads what was received; how the bytes travel (WireMock, a JDK server, a binary event stream)
 * is the subclass's choice.
 */
public interface FakeServer extends AutoCloseable {

  /** {@code http://127.0.0.1:port}, never a name that may resolve to {@code ::1}. */
  String rootUrl();

  /** Every request from now on gets {@code answer}. */
  void answerWith(NativeAnswer answer);

  /** The requests received since the last {@link #reset}, in order. */
  List<RecordedRequest> received();

  /** Forgets answers and received requests. */
  void reset();

  @Override
  void close();
}
