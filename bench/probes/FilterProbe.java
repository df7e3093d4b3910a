// What response filtering costs: the six built-in PII detectors plus one custom pattern over an
// answer of 8,000 characters holding a few items of each type, (a) whole (a buffered answer, a
// request's messages, an audit payload) and (b) streamed in chunks of 4 characters (about one
// token each) through the holdback buffer, against (c) the same stream passed through unfiltered.
// Run against the shared classes and their dependencies:
//
//   mvn -B -o -q -pl shared compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
//   java -cp shared/target/classes:$(cat shared/target/cp.txt) bench/probes/FilterProbe.java
//
// Prints the median and p99 over 300 runs, after 200 warm-up runs, in ms per answer, and per
// streamed chunk in microseconds.

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import dev.tollgate.api.ChunkHeader;
import dev.tollgate.api.Json;
import dev.tollgate.moderation.Detector;
import dev.tollgate.moderation.FilterPolicy;
import dev.tollgate.moderation.FilterTally;
import dev.tollgate.moderation.FilteredChunkStream;
import dev.tollgate.moderation.PiiType;
import dev.tollgate.moderation.TextFilter;
import dev.tollgate.provider.BufferedChunkStream;
import dev.tollgate.provider.ChunkStream;
import dev.tollgate.provider.Usage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

void main() throws Exception {
  String paragraph =
      "Thanks for reaching out. Our records show the account was opened in 2021 and version 4.2.1 of the app is current. "
          + "Contact jane.doe@example.com or +44 20 7946 0958; the card on file is 4111 1111 1111 1111 and the refund "
          + "goes to DE89 3704 0044 0532 0130 00. Ticket EMP-123456 stays open until the 15th. ";
  String answer = paragraph.repeat(8_000 / paragraph.length() + 1).substring(0, 8_000);
  List<Detector> detectors = new ArrayList<>(Arrays.stream(PiiType.values()).map(PiiType::detector).toList());
  detectors.add(new Detector(Pattern.compile("EMP-[0-9]{6}"), "custom:employeeId", Detector.UNBOUNDED));
  TextFilter filter =
      new TextFilter(List.of(new FilterPolicy("bench", detectors, FilterPolicy.Action.REDACT, FilterPolicy.Side.RESPONSE,
          Set.of(), Set.of(), 256)));
  ChunkHeader header = new ChunkHeader("chatcmpl-bench", 1, "m");
  List<String> pieces = new ArrayList<>();
  for (int i = 0; i < answer.length(); i += 4) {
    pieces.add(answer.substring(i, Math.min(answer.length(), i + 4)));
  }
  System.out.printf("answer: %,d characters, %,d chunks of 4; holdback %d characters%n", answer.length(), pieces.size(), filter.holdback());
  report("(a) whole answer, filtered", () -> filter.filterAll(answer, new FilterTally()), 0);
  report("(b) streamed, filtered", () -> drain(new FilteredChunkStream(stream(header, pieces), filter, t -> {})), pieces.size());
  report("(c) streamed, no filter", () -> drain(stream(header, pieces)), pieces.size());
}

ChunkStream stream(ChunkHeader header, List<String> pieces) {
  List<ObjectNode> chunks = new ArrayList<>(pieces.size());
  for (String piece : pieces) {
    chunks.add(header.chunk(0, Json.object().put("content", piece), null));
  }
  return new BufferedChunkStream(chunks, Usage.NONE);
}

Object drain(ChunkStream stream) throws Exception {
  int n = 0;
  while (stream.next().isPresent()) {
    n++;
  }
  return n;
}

interface Run {
  Object run() throws Exception;
}

void report(String label, Run run, int chunks) throws Exception {
  for (int i = 0; i < 200; i++) {
    run.run();
  }
  long[] nanos = new long[300];
  for (int i = 0; i < nanos.length; i++) {
    long start = System.nanoTime();
    run.run();
    nanos[i] = System.nanoTime() - start;
  }
  Arrays.sort(nanos);
  double median = nanos[nanos.length / 2] / 1e6;
  double p99 = nanos[(int) (nanos.length * 0.99)] / 1e6;
  String perChunk = chunks == 0 ? "" : String.format(", %.2f us per chunk (median)", median * 1000 / chunks);
  System.out.printf("%-30s median %.2f ms, p99 %.2f ms%s%n", label, median, p99, perChunk);
}
