package dev.mtasts.reports;

import dev.mtasts.tlsrpt.ReportMediaType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the TLS-RPT reports senders POST to {@code https://mta-sts.<domain>/tlsrpt} (RFC 8460 §3, §5.3) and
 * hands each to the {@link ReportIntake}. It speaks plain HTTP: TLS ends at the Ingress, and only the policy
 * servers' nginx reaches this port, inside the cluster, passing on the Host the sender used.
 *
 * <p>Bodies are read without blocking a thread (Vert.x), so a slow sender holds a connection, never a worker; the
 * limits hold even without nginx in front: the body size (Content-Length checked first, a chunked body cut at the
 * limit), a deadline for the whole request, and at most {@code maxInFlight} requests at once (more get 503 with
 * Retry-After). The intake, which blocks until the report is stored, runs on a small pool of its own.
 */
public final class HttpsReportReceiver implements AutoCloseable {

  /** Where reports are POSTed; the same path as on the policy hosts ({@code TlsReporting.RECEIVE_PATH}). */
  public static final String PATH = "/tlsrpt";

  /** The largest report body taken; the policy servers' nginx enforces the same before anything reaches us. */
  public static final int MAX_REPORT_BYTES = 1024 * 1024;

  /**
   * @param listen where to listen (port 0: any free port)
   * @param maxBodyBytes the largest body taken, as received (gzip still compressed)
   * @param deadline for a whole request, from its headers to the answer; a body still coming then gets 408, an
   *     intake still storing then 503 (the report may yet be stored; the sender's retry is then a duplicate)
   * @param workers threads calling the intake
   * @param maxInFlight requests taken at once, reading or storing; more get 503 at once, before their body is read
   * @param retryAfter what 503 answers tell the sender to wait
   */
  public record Settings(InetSocketAddress listen, int maxBodyBytes, Duration deadline, int workers,
      int maxInFlight, Duration retryAfter) {

    public Settings {
      Objects.requireNonNull(listen, "listen");
      Objects.requireNonNull(deadline, "deadline");
      Objects.requireNonNull(retryAfter, "retryAfter");
      if (maxBodyBytes < 1 || workers < 1 || maxInFlight < workers || deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("report receiver: maxBodyBytes and workers must be at least 1,"
            + " maxInFlight at least workers, the deadline positive: " + this);
      }
    }

    /** The operator's defaults on {@code port}, all interfaces. */
    public static Settings defaults(int port) {
      return on(new InetSocketAddress(port));
    }

    public static Settings on(InetSocketAddress listen) {
      return new Settings(listen, MAX_REPORT_BYTES, Duration.ofSeconds(30), 4, 32, Duration.ofSeconds(60));
    }

    public Settings withDeadline(Duration value) {
      return new Settings(listen, maxBodyBytes, value, workers, maxInFlight, retryAfter);
    }

    public Settings withMaxBodyBytes(int value) {
      return new Settings(listen, value, deadline, workers, maxInFlight, retryAfter);
    }

    public Settings withConcurrency(int workerCount, int inFlight) {
      return new Settings(listen, maxBodyBytes, deadline, workerCount, inFlight, retryAfter);
    }
  }

  /** What became of a request, the one label of the metrics: a fixed set, so the series stay few. */
  enum Outcome {
    STORED(201), DUPLICATE(200), MALFORMED(400), NOT_OURS(403), UNAVAILABLE(503),
    NOT_FOUND(404), METHOD_NOT_ALLOWED(405), UNSUPPORTED_MEDIA_TYPE(415), TOO_LARGE(413), NO_HOST(400),
    TIMEOUT(408), OVERLOADED(503), ABORTED(0);

    final int status;

    Outcome(int status) {
      this.status = status;
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Outcome of(IntakeOutcome.Kind kind) {
      return switch (kind) {
        case STORED -> STORED;
        case DUPLICATE -> DUPLICATE;
        case MALFORMED -> MALFORMED;
        case NOT_OURS -> NOT_OURS;
        case UNAVAILABLE -> UNAVAILABLE;
      };
    }
  }

  private static final Logger log = LoggerFactory.getLogger(HttpsReportReceiver.class);
  private static final int MAX_LOGGED_FORWARDED_FOR = 200;

  private final Settings settings;
  private final ReportIntake intake;
  private final Vertx vertx;
  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final Semaphore inFlight;
  private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
  private final Map<IntakeOutcome.Kind, Timer> intakeTimes = new EnumMap<>(IntakeOutcome.Kind.class);
  private final DistributionSummary bodySizes;

  private HttpsReportReceiver(Settings settings, ReportIntake intake, MeterRegistry registry) {
    this.settings = settings;
    this.intake = Objects.requireNonNull(intake, "intake");
    this.inFlight = new Semaphore(settings.maxInFlight());
    AtomicInteger threads = new AtomicInteger();
    // The queue holds every admitted request, so the pool never refuses one the semaphore let in.
    this.workers = new ThreadPoolExecutor(settings.workers(), settings.workers(), 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(settings.maxInFlight()), r -> {
          Thread t = new Thread(r, "tlsrpt-intake-" + threads.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    // One event loop reads every connection; it never blocks, so it is enough for reports.
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
        .setInternalBlockingPoolSize(1).setDisableTCCL(true));
    for (Outcome outcome : Outcome.values()) {
      requests.put(outcome, Counter.builder("mtasts.reports.requests")
          .description("Report POSTs to the receiver, by what became of them")
          .tag("outcome", outcome.label()).register(registry));
    }
    for (IntakeOutcome.Kind kind : IntakeOutcome.Kind.values()) {
      intakeTimes.put(kind, Timer.builder("mtasts.reports.intake")
          .description("Time the intake took to store (or refuse) a report")
          .tag("outcome", Outcome.of(kind).label()).publishPercentileHistogram()
          .register(registry));
    }
    bodySizes = DistributionSummary.builder("mtasts.reports.body.size").baseUnit("bytes")
        .description("Size of the report bodies handed to the intake, as received").register(registry);
    Gauge.builder("mtasts.reports.in.flight", inFlight, s -> settings.maxInFlight() - s.availablePermits())
        .description("Report requests being read or stored now").register(registry);
    this.server = vertx.createHttpServer(new HttpServerOptions()
        .setHost(settings.listen().getAddress().getHostAddress())
        .setPort(settings.listen().getPort())
        .setMaxInitialLineLength(1024)
        .setMaxHeaderSize(8192)
        // A connection that sends nothing for this long is closed, so idle keep-alive connections and stalled
        // headers do not pile up; longer than the deadline, so that a request in progress gets its answer.
        .setIdleTimeout((int) settings.deadline().toSeconds() + 5)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(false))
        .requestHandler(this::handle);
  }

  /** Starts listening; returns once the port is bound. */
  public static HttpsReportReceiver start(Settings settings, ReportIntake intake, MeterRegistry registry) {
    HttpsReportReceiver receiver = new HttpsReportReceiver(settings, intake, registry);
    try {
      receiver.server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      receiver.close();
      throw new IllegalStateException("report receiver: interrupted while binding " + settings.listen(), e);
    } catch (ExecutionException | TimeoutException e) {
      receiver.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("report receiver: cannot listen on " + settings.listen() + ": "
          + cause.getMessage(), cause);
    }
    log.info("step=report-receiver listening on {}:{}, path {}, body limit {} bytes, deadline {}, {} workers,"
            + " {} in flight", settings.listen().getAddress().getHostAddress(), receiver.port(),
        PATH, settings.maxBodyBytes(), settings.deadline(), settings.workers(),
        settings.maxInFlight());
    return receiver;
  }

  /** The port it listens on (the bound one when asked for port 0). */
  public int port() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    long started = System.nanoTime();
    if (!PATH.equals(request.path())) {
      refuse(request, started, Outcome.NOT_FOUND, "not found", null);
      return;
    }
    if (request.method() != HttpMethod.POST) {
      refuse(request, started, Outcome.METHOD_NOT_ALLOWED, "only POST is accepted on " + PATH,
          response -> response.putHeader(HttpHeaders.ALLOW, "POST"));
      return;
    }
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    Optional<ReportMediaType> mediaType = ReportMediaType.ofContentType(contentType);
    if (mediaType.isEmpty()) {
      refuse(request, started, Outcome.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + (contentType == null ? "(none)"
          : "\"" + contentType + "\"") + " is not " + ReportMediaType.JSON.value() + " or "
          + ReportMediaType.GZIP.value() + " (RFC 8460 §5.3)", null);
      return;
    }
    Optional<String> host = policyHost(request.getHeader(HttpHeaders.HOST));
    if (host.isEmpty()) {
      refuse(request, started, Outcome.NO_HOST, "no Host header: the report's policy host is unknown", null);
      return;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && declaredTooLarge(length)) {
      refuse(request, started, Outcome.TOO_LARGE, "Content-Length " + length.strip() + " is above the limit of "
          + settings.maxBodyBytes() + " bytes", null);
      return;
    }
    if (!inFlight.tryAcquire()) {
      refuse(request, started, Outcome.OVERLOADED, "too many reports at once; retry later",
          response -> response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter()));
      return;
    }
    new Exchange(request, started, mediaType.get(), host.get()).begin();
  }

  private boolean declaredTooLarge(String length) {
    try {
      return Long.parseLong(length.strip()) > settings.maxBodyBytes();
    } catch (NumberFormatException e) {
      return false; // Vert.x's codec refuses a malformed Content-Length before we see the request
    }
  }

  /** The host the report was POSTed to: lower case, without a port. */
  static Optional<String> policyHost(String hostHeader) {
    if (hostHeader == null || hostHeader.isBlank()) {
      return Optional.empty();
    }
    String host = hostHeader.strip().toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      host = host.substring(0, colon);
    }
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.isEmpty() ? Optional.empty() : Optional.of(host);
  }

  private String retryAfter() {
    return Long.toString(Math.max(1, settings.retryAfter().toSeconds()));
  }

  /**
   * Answers before reading the body. A body the sender is still sending is read and dropped until it ends (or
   * the deadline), then the connection is closed: closing at once would reset it, and the sender might never see
   * the answer.
   */
  private void refuse(HttpServerRequest request, long started, Outcome outcome, String message,
      Consumer<HttpServerResponse> headers) {
    HttpServerResponse response = request.response();
    if (headers != null) {
      headers.accept(response);
    }
    boolean bodyFollows = request.getHeader(HttpHeaders.CONTENT_LENGTH) != null
        || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
    if (bodyFollows && !request.isEnded()) {
      response.putHeader(HttpHeaders.CONNECTION, "close");
      dropRestThenClose(request);
    }
    record(request, started, outcome, 0, message);
    answer(response, outcome.status, message);
  }

  /** Reads and drops what is left of a refused body, then closes; the deadline bounds how long that may take. */
  private void dropRestThenClose(HttpServerRequest request) {
    long timer = vertx.setTimer(settings.deadline().toMillis(), t -> request.connection().close());
    request.handler(chunk -> { });
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      request.connection().close();
    });
    request.exceptionHandler(e -> vertx.cancelTimer(timer));
  }

  private static Future<Void> answer(HttpServerResponse response, int status, String message) {
    return response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(message + "\n");
  }

  private void record(HttpServerRequest request, long started, Outcome outcome, int bytes, String message) {
    requests.get(outcome).increment();
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    String host = String.valueOf(request.getHeader(HttpHeaders.HOST));
    if (outcome == Outcome.STORED || outcome == Outcome.DUPLICATE) {
      log.info("step=report outcome={} status={} host={} bytes={} ms={} source=\"{}\" {}", outcome.label(),
          outcome.status, host, bytes, millis, source(request), message);
    } else if (outcome == Outcome.NOT_FOUND || outcome == Outcome.METHOD_NOT_ALLOWED) {
      log.debug("step=report outcome={} status={} host={} method={} path={}", outcome.label(), outcome.status,
          host, request.method(), request.path());
    } else {
      log.warn("step=report outcome={} status={} host={} bytes={} ms={} source=\"{}\" {}", outcome.label(),
          outcome.status, host, bytes, millis, source(request), message);
    }
  }

  /** The policy server's address and, behind it, whom nginx says it received the report from. */
  private static String source(HttpServerRequest request) {
    String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String forwardedFor = request.getHeader("X-Forwarded-For");
    if (forwardedFor == null || forwardedFor.isBlank()) {
      return "https " + peer;
    }
    String shown = forwardedFor.strip();
    if (shown.length() > MAX_LOGGED_FORWARDED_FOR) {
      shown = shown.substring(0, MAX_LOGGED_FORWARDED_FOR) + "...";
    }
    return "https " + peer + " for " + shown;
  }

  /** One admitted request: holds a permit from its headers until it is answered and the intake has returned. */
  private final class Exchange {
    private final HttpServerRequest request;
    private final long started;
    private final ReportMediaType mediaType;
    private final String host;
    private final Context context;
    private Buffer body = Buffer.buffer();
    private boolean answered;
    private boolean storing;
    private boolean released;
    private long deadlineTimer;

    Exchange(HttpServerRequest request, long started, ReportMediaType mediaType, String host) {
      this.request = request;
      this.started = started;
      this.mediaType = mediaType;
      this.host = host;
      this.context = vertx.getOrCreateContext();
    }

    // Every callback below runs on the one event loop, so the fields need no locks.
    void begin() {
      deadlineTimer = vertx.setTimer(settings.deadline().toMillis(), t -> deadlinePassed());
      request.handler(this::chunk);
      request.endHandler(v -> bodyComplete());
      request.exceptionHandler(e -> aborted("the connection failed while reading: " + e.getMessage()));
      request.connection().closeHandler(v -> aborted("the sender closed the connection"));
      if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
        request.response().writeContinue();
      }
    }

    private void chunk(Buffer chunk) {
      if (answered) {
        return;
      }
      if (body.length() + chunk.length() > settings.maxBodyBytes()) {
        // A chunked body has no length up front: cut it here, before it is all in memory.
        int seen = body.length() + chunk.length();
        body = Buffer.buffer();
        finish(Outcome.TOO_LARGE, "the body is above the limit of " + settings.maxBodyBytes() + " bytes", seen,
            response -> response.putHeader(HttpHeaders.CONNECTION, "close"));
        dropRestThenClose(request);
        return;
      }
      body.appendBuffer(chunk);
    }

    private void bodyComplete() {
      if (answered) {
        return;
      }
      byte[] bytes = body.getBytes();
      storing = true;
      String source = source(request);
      try {
        workers.execute(() -> store(bytes, source));
      } catch (RejectedExecutionException e) {
        storing = false;
        finish(Outcome.OVERLOADED, "too many reports at once; retry later", bytes.length,
            response -> response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter()));
      }
    }

    /** On a worker thread. */
    private void store(byte[] bytes, String source) {
      long intakeStarted = System.nanoTime();
      IntakeOutcome outcome;
      try {
        outcome = intake.accept(bytes, mediaType, ReportIntake.Channel.HTTPS, source, Optional.of(host));
      } catch (RuntimeException e) {
        log.error("step=report the intake failed on a report for {}", host, e);
        outcome = IntakeOutcome.unavailable("the report could not be stored now: " + e.getMessage());
      }
      intakeTimes.get(outcome.kind()).record(System.nanoTime() - intakeStarted, TimeUnit.NANOSECONDS);
      bodySizes.record(bytes.length);
      IntakeOutcome result = outcome;
      context.runOnContext(v -> stored(result, bytes.length));
    }

    private void stored(IntakeOutcome outcome, int bytes) {
      storing = false;
      if (answered) {
        // The deadline answered 503 already; what the intake did still goes to the log.
        log.warn("step=report outcome={} after the deadline host={} bytes={} {}", Outcome.of(outcome.kind()).label(),
            host, bytes, outcome.message());
        release();
        return;
      }
      Outcome result = Outcome.of(outcome.kind());
      finish(result, outcome.message(), bytes, result == Outcome.UNAVAILABLE
          ? response -> response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter()) : null);
    }

    private void deadlinePassed() {
      if (answered) {
        return;
      }
      if (storing) {
        finish(Outcome.UNAVAILABLE, "the report was not stored within " + settings.deadline().toSeconds()
            + " s; retry later", body.length(), response -> response.putHeader(HttpHeaders.RETRY_AFTER, retryAfter()));
        return;
      }
      // A body still coming after the deadline: cut the sender off, it holds a permit.
      int seen = body.length();
      body = Buffer.buffer();
      request.handler(null);
      finish(Outcome.TIMEOUT, "the request took longer than " + settings.deadline().toSeconds() + " s", seen,
          response -> response.putHeader(HttpHeaders.CONNECTION, "close"));
    }

    private void aborted(String why) {
      if (answered) {
        return;
      }
      answered = true;
      vertx.cancelTimer(deadlineTimer);
      record(request, started, Outcome.ABORTED, body.length(), why);
      if (!storing) {
        release();
      }
    }

    private void finish(Outcome outcome, String message, int bytes,
        Consumer<HttpServerResponse> headers) {
      answered = true;
      vertx.cancelTimer(deadlineTimer);
      HttpServerResponse response = request.response();
      if (headers != null) {
        headers.accept(response);
      }
      // Counted before the answer goes out, so that what a sender was told is already in the metrics.
      record(request, started, outcome, bytes, message);
      if (!response.ended() && !response.closed()) {
        Future<Void> written = answer(response, outcome.status, message);
        if (outcome == Outcome.TIMEOUT) {
          // The sender is cut off once it has the answer; it will not finish its body.
          written.onComplete(v -> request.connection().close());
        }
      }
      if (!storing) {
        release();
      }
    }

    private void release() {
      if (!released) {
        released = true;
        inFlight.release();
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("step=report-receiver did not close cleanly: {}", e.getMessage());
    }
    workers.shutdown();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    vertx.close();
  }
}
