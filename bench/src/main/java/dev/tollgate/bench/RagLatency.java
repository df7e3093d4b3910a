package dev.tollgate.bench;

import dev.tollgate.embedding.TextEmbedder;
import dev.tollgate.embedding.Vectors;
import dev.tollgate.embedding.local.MiniLmEmbedder;
import dev.tollgate.rag.Chunk;
import dev.tollgate.rag.Chunker;
import dev.tollgate.rag.InMemoryKnowledgeStore;
import dev.tollgate.rag.KnowledgeIndex;
import dev.tollgate.rag.KnowledgeIngestion;
import dev.tollgate.rag.KnowledgeRetriever;
import dev.tollgate.rag.RetrievalQuery;
import dev.tollgate.rag.SourceDocument;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Retrieval latency at 10,000 chunks: the eval corpus's real chunks plus one-chunk documents of
 * sentences drawn from it, ingested through {@link KnowledgeIngestion} into an in-memory store,
 * then 1,000 queries (the 40 eval questions and corpus sentences) timed through
 * {@link KnowledgeRetriever}: with the query vectors computed beforehand (retrieval alone, the
 * target) and with the in-process MiniLM model embedding each query (what a dev-server request
 * pays). The corpus chunks and the queries are embedded with MiniLM (cached in {@code --cache});
 * the filler's vectors are random unit vectors unless {@code --bulk minilm} (several minutes on two
 * cores, then cached): a brute-force cosine scan costs the same whatever the vectors hold, while
 * BM25 sees the filler's real words either way.
 */
public final class RagLatency {

  private static final String KB = "latency";
  private static final int TOP_K = 5;

  private RagLatency() {}

  public static void main(String[] argv) {
    Args args = Args.parse(argv);
    EvalSet set = EvalSet.load(Path.of(args.text("set", "bench/rag-eval")));
    int total = args.integer("chunks", 10_000);
    int queryCount = args.integer("queries", 1_000);
    int warmup = args.integer("warmup", 300);
    boolean bulkModel = args.text("bulk", "random").equals("minilm");
    Path cache = Path.of(args.text("cache", "bench/target/rag-latency-vectors.bin"));
    MiniLmEmbedder model = new MiniLmEmbedder();
    String loadBefore = loadAverage();

    List<SourceDocument> documents = new ArrayList<>(EvalDocuments.read(set));
    Chunker chunker = new Chunker();
    List<String> corpusTexts = documents.stream().flatMap(d -> chunker.chunk(d).stream()).map(Chunk::embeddingText).toList();
    List<String> sentences = SyntheticParagraphs.sentences(corpusTexts);
    List<SourceDocument> filler = filler(sentences, total - corpusTexts.size());
    List<String> fillerTexts = filler.stream().flatMap(d -> chunker.chunk(d).stream()).map(Chunk::embeddingText).toList();
    List<String> queries = queries(set, sentences, queryCount);

    Map<String, float[]> vectors = new HashMap<>();
    long started = System.nanoTime();
    List<String> modelTexts = new ArrayList<>(new LinkedHashSet<>(concat(corpusTexts, queries, bulkModel ? fillerTexts : List.of())));
    VectorCache.Vectors computed = VectorCache.vectors(cache, model, modelTexts);
    List<float[]> embedded = computed.vectors();
    boolean cached = computed.fromFile();
    double embedSeconds = (System.nanoTime() - started) / 1e9;
    for (int i = 0; i < modelTexts.size(); i++) {
      vectors.put(modelTexts.get(i), embedded.get(i));
    }
    Random random = new Random(7);
    for (String text : fillerTexts) {
      vectors.computeIfAbsent(text, t -> randomUnit(random, model.dimensions()));
    }
    documents.addAll(filler);
    LookupEmbedder lookup = new LookupEmbedder(model, vectors);
    InMemoryKnowledgeStore store = new InMemoryKnowledgeStore();
    new KnowledgeIngestion(store, lookup, chunker, Clock.systemUTC()).ingest(KB, documents);

    KnowledgeRetriever precomputed = new KnowledgeRetriever(store, lookup);
    long loadStarted = System.nanoTime();
    KnowledgeIndex index = precomputed.index(KB);
    double loadMs = (System.nanoTime() - loadStarted) / 1e6;
    KnowledgeRetriever live = new KnowledgeRetriever(store, model);

    double blend = KnowledgeIndex.DEFAULT_LEXICAL_WEIGHT;
    time(precomputed, queries, warmup, 0); // warm-up of the scan and the JIT, discarded
    Timed cosine = time(precomputed, queries, 0, 0);
    Timed blended = time(precomputed, queries, warmup, blend);
    Timed liveBlended = time(live, queries, Math.min(warmup, 100), blend);
    Timed embedOnly = embedTimes(model, queries.subList(set.questions().size(), queries.size()));

    System.out.printf(Locale.ROOT, "### Retrieval latency at %,d chunks (ms; %,d queries, top %d, one thread)%n%n", index.size(),
        queries.size(), TOP_K);
    System.out.printf(Locale.ROOT, "- Index: %,d chunks x %d dimensions: %d real chunks of the %d eval documents, %,d one-chunk filler "
            + "documents of corpus sentences (vectors: %s); index load (store snapshot to KnowledgeIndex, with BM25) %.0f ms.%n",
        index.size(), index.dimensions(), corpusTexts.size(), set.documents().size(), fillerTexts.size(),
        bulkModel ? "MiniLM" : "random unit vectors, text real", loadMs);
    System.out.printf(Locale.ROOT, "- Queries: the %d eval questions and %,d corpus sentences; their and the real chunks' MiniLM "
        + "vectors took %.1f s (%s).%n%n", set.questions().size(), queries.size() - set.questions().size(), embedSeconds,
        cached ? "read from " + cache : "embedded, then cached in " + cache);
    System.out.println("| Path | p50 | p95 | p99 | max | CPU p50 | CPU p99 | Target p50 <= 10, p99 <= 30 |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    row("KnowledgeRetriever, query vector precomputed, cosine", cosine, true);
    row("KnowledgeRetriever, query vector precomputed, cosine + BM25 (w = " + blend + ")", blended, true);
    row("KnowledgeRetriever with MiniLM embedding the query, cosine + BM25", liveBlended, false);
    row("MiniLM embedding one query alone (" + embedOnly.wall().size() + " corpus sentences)", embedOnly, false);
    System.out.println();
    System.out.printf(Locale.ROOT, "- Load average before: %s; after: %s (%d cores).%n%n", loadBefore, loadAverage(),
        Runtime.getRuntime().availableProcessors());
  }

  private static void row(String label, Timed t, boolean target) {
    Sample s = t.wall();
    String verdict = target ? Format.verdict(s.median() <= 10 && s.percentile(99) <= 30) : "";
    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", label, Format.ms(s.median()),
        Format.ms(s.percentile(95)), Format.ms(s.percentile(99)), Format.ms(s.max()), Format.ms(t.cpu().median()),
        Format.ms(t.cpu().percentile(99)), verdict);
  }

  private static String loadAverage() {
    try {
      return String.join(" ", java.util.Arrays.copyOf(java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" "), 3));
    } catch (java.io.IOException e) {
      return "n/a";
    }
  }

  /** Wall-clock and this thread's CPU time per query. */
  private record Timed(Sample wall, Sample cpu) {}

  /**
   * Times each query (after {@code warmup} untimed ones), wall clock and the calling thread's CPU
   * time (which other processes on the machine do not inflate; the model's own ONNX threads are
   * not in it); fails if a query finds fewer than top-k chunks.
   */
  private static Timed time(KnowledgeRetriever retriever, List<String> queries, int warmup, double weight) {
    for (int i = 0; i < warmup; i++) {
      retriever.retrieve(query(queries.get(i % queries.size())), weight);
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] wall = new long[queries.size()];
    long[] cpu = new long[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      int found = retriever.retrieve(query(queries.get(i)), weight).size();
      wall[i] = System.nanoTime() - start;
      cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
      if (found != TOP_K) {
        throw new IllegalStateException("query " + i + " found " + found + " chunks");
      }
    }
    return new Timed(Sample.ofNanos(wall), Sample.ofNanos(cpu));
  }

  private static Timed embedTimes(TextEmbedder model, List<String> queries) {
    int count = Math.min(queries.size(), 300);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] wall = new long[count];
    long[] cpu = new long[count];
    for (int i = 0; i < count; i++) {
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      model.embed(queries.get(i));
      wall[i] = System.nanoTime() - start;
      cpu[i] = threads.getCurrentThreadCpuTime() - cpuStart;
    }
    return new Timed(Sample.ofNanos(wall), Sample.ofNanos(cpu));
  }

  private static RetrievalQuery query(String text) {
    return new RetrievalQuery(KB, text, TOP_K, -1, Map.of());
  }

  /** One-chunk documents of 3 to 7 corpus sentences (under a chunk's size), seeded. */
  private static List<SourceDocument> filler(List<String> sentences, int count) {
    List<String> paragraphs = SyntheticParagraphs.generate(sentences, count, 42);
    List<SourceDocument> filler = new ArrayList<>(count);
    for (int i = 0; i < paragraphs.size(); i++) {
      String paragraph = paragraphs.get(i);
      if (paragraph.length() > 700) {
        paragraph = paragraph.substring(0, paragraph.lastIndexOf(' ', 700));
      }
      filler.add(SourceDocument.of(String.format(Locale.ROOT, "filler/%05d.md", i), "Parcelly notes " + i,
          List.of(SourceDocument.Block.paragraph(paragraph))));
    }
    return filler;
  }

  /** The eval questions, then corpus sentences (seeded shuffle), {@code count} in all. */
  private static List<String> queries(EvalSet set, List<String> sentences, int count) {
    List<String> queries = new ArrayList<>();
    set.questions().forEach(q -> queries.add(q.text()));
    List<String> shuffled = new ArrayList<>(new LinkedHashSet<>(sentences));
    Collections.shuffle(shuffled, new Random(11));
    for (int i = 0; queries.size() < count; i++) {
      queries.add(shuffled.get(i % shuffled.size()) + (i >= shuffled.size() ? " (" + i + ")" : ""));
    }
    return queries;
  }

  private static float[] randomUnit(Random random, int dimensions) {
    float[] vector = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      vector[i] = (float) random.nextGaussian();
    }
    return Vectors.normalized(vector);
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return all;
  }
}
