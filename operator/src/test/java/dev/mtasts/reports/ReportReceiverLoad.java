package dev.mtasts.reports;

import dev.mtasts.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Many senders POSTing reports at once, each report new, each on its own connection, as senders do once a day.
 * The intake and the address POSTed to are parameters, so the same load runs against the cluster store, or
 * through nginx.
 */
public final class ReportReceiverLoad {

  /**
   * @param accepted 201 answers
   * @param statuses every answer's status, counted
   * @param reportsPerSecond accepted reports over the wall-clock time
   * @param heapBeforeBytes heap used before, after a GC
   * @param heapAfterBytes heap used after, after a GC
   */
  public record Result(int reports, int senders, long accepted, Map<Integer, Long> statuses, Duration elapsed,
      double reportsPerSecond, Duration p50, Duration p99, Duration max, long heapBeforeBytes, long heapAfterBytes) {

    @Override
    public String toString() {
      return String.format("%d reports from %d senders in %d ms: %.0f reports/s accepted (%d), p50 %.1f ms,"
              + " p99 %.1f ms, max %.1f ms, statuses %s, heap used %d MiB before, %d MiB after",
          reports, senders, elapsed.toMillis(), reportsPerSecond, accepted, p50.toNanos() / 1e6, p99.toNanos() / 1e6,
          max.toNanos() / 1e6, statuses, heapBeforeBytes >> 20, heapAfterBytes >> 20);
    }
  }

  private ReportReceiverLoad() {}

  /** A receiver with the operator's defaults on {@code listen}, handing reports to {@code intake}. */
  public static HttpsReportReceiver receiver(InetSocketAddress listen, ReportIntake intake) {
    return HttpsReportReceiver.start(HttpsReportReceiver.Settings.on(listen), intake, new SimpleMeterRegistry());
  }

  /**
   * POSTs {@code reports} new reports for {@code domain} to {@code target} from {@code senders} threads at once.
   *
   * @param body the report with a given id
   */
  public static Result run(InetSocketAddress target, String domain, int reports, int senders,
      Function<String, byte[]> body) throws Exception {
    long heapBefore = heapUsed();
    long[] latencies = new long[reports];
    AtomicLong next = new AtomicLong();
    Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
    String host = "mta-sts." + domain;
    String run = Long.toString(System.nanoTime(), 36);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    long started = System.nanoTime();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        running.add(pool.submit(() -> {
          for (int i = (int) next.getAndIncrement(); i < reports; i = (int) next.getAndIncrement()) {
            byte[] report = body.apply("load-" + run + "-" + i);
            long sent = System.nanoTime();
            RawHttp.Response answer = RawHttp.post(RawHttp.connect(target), "/tlsrpt", host,
                "application/tlsrpt+json", report);
            latencies[i] = System.nanoTime() - sent;
            statuses.computeIfAbsent(answer.status(), k -> new AtomicLong()).incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    long heapAfter = heapUsed();
    long[] sorted = latencies.clone();
    java.util.Arrays.sort(sorted);
    Map<Integer, Long> counted = new TreeMap<>();
    statuses.forEach((k, v) -> counted.put(k, v.get()));
    long accepted = counted.getOrDefault(201, 0L);
    return new Result(reports, senders, accepted, counted, elapsed, accepted / (elapsed.toNanos() / 1e9),
        Duration.ofNanos(sorted[reports / 2]), Duration.ofNanos(sorted[(int) Math.ceil(reports * 0.99) - 1]),
        Duration.ofNanos(sorted[reports - 1]), heapBefore, heapAfter);
  }

  private static long heapUsed() {
    Runtime runtime = Runtime.getRuntime();
    System.gc();
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
