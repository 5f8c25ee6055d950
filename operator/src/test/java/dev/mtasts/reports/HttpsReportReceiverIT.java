package dev.mtasts.reports;

import static dev.mtasts.reports.RecordingIntake.gzip;
import static dev.mtasts.reports.RecordingIntake.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.testing.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiver on its own, as a client that bypasses nginx would meet it: its own limits hold. The intake is a
 * stand-in for the cluster store ({@link RecordingIntake}).
 */
class HttpsReportReceiverIT {

  static final String HOST = "mta-sts.example.com";
  static final String JSON = "application/tlsrpt+json";

  final RecordingIntake intake = new RecordingIntake();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  HttpsReportReceiver receiver;

  @BeforeEach
  void start() {
    receiver = HttpsReportReceiver.start(HttpsReportReceiver.Settings.on(new InetSocketAddress("127.0.8.1", 0))
        .withDeadline(Duration.ofSeconds(2)).withMaxBodyBytes(64 * 1024).withConcurrency(1, 2), intake, registry);
  }

  @AfterEach
  void stop() {
    intake.release();
    receiver.close();
  }

  RawHttp connect() {
    return RawHttp.connect(new InetSocketAddress("127.0.8.1", receiver.port()));
  }

  RawHttp.Response post(String host, String contentType, byte[] body) {
    return RawHttp.post(connect(), "/tlsrpt", host, contentType, body);
  }

  double count(String outcome) {
    return registry.get("mtasts.reports.requests").tag("outcome", outcome).counter().count();
  }

  @Test
  void aReportIsStoredOnce201ThenADuplicateIs200() {
    RawHttp.Response first = post(HOST, JSON, report("r-1", "example.com"));
    RawHttp.Response again = post(HOST, JSON, report("r-1", "example.com"));
    RawHttp.Response gzipped = post("MTA-STS.example.com:443", "application/tlsrpt+gzip; charset=x",
        gzip(report("r-2", "example.com")));

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(again.status()).as("RFC 8460 §5.3: a duplicate is not the sender's error").isEqualTo(200);
    assertThat(gzipped.status()).as(gzipped.body()).isEqualTo(201);
    assertThat(intake.stored()).extracting(RecordingIntake.Stored::reportId).containsExactly("r-1", "r-2");
    assertThat(intake.stored()).allSatisfy(s -> {
      assertThat(s.policyHost()).contains(HOST);
      assertThat(s.channel()).isEqualTo(ReportIntake.Channel.HTTPS);
      assertThat(s.source()).startsWith("https 127.0.0.1");
    });
    assertThat(count("stored")).isEqualTo(2);
    assertThat(count("duplicate")).isEqualTo(1);
  }

  @Test
  void onlyPostOnTheReportPathIsTaken() {
    RawHttp get = connect().head("GET", "/tlsrpt", HOST, Map.of());
    RawHttp.Response getAnswer = get.read();
    RawHttp put = connect().head("PUT", "/tlsrpt", HOST, Map.of("Content-Type", JSON, "Content-Length", "2"))
        .write("{}".getBytes(StandardCharsets.US_ASCII));
    RawHttp.Response putAnswer = put.read();
    RawHttp.Response elsewhere = RawHttp.post(connect(), "/tlsrpt/x", HOST, JSON, report("r-3", "example.com"));

    assertThat(getAnswer.status()).isEqualTo(405);
    assertThat(getAnswer.header("Allow")).contains("POST");
    assertThat(putAnswer.status()).isEqualTo(405);
    assertThat(putAnswer.header("Allow")).contains("POST");
    assertThat(elsewhere.status()).isEqualTo(404);
    assertThat(intake.stored()).isEmpty();
  }

  @Test
  void anotherMediaTypeIs415() {
    RawHttp.Response plain = post(HOST, "application/json", report("r-4", "example.com"));

    assertThat(plain.status()).isEqualTo(415);
    assertThat(plain.body()).contains("application/tlsrpt+json or application/tlsrpt+gzip");
    assertThat(intake.stored()).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIs413WhetherDeclaredOrChunked() {
    // Declared: refused on the headers, before a byte of the body is sent.
    RawHttp declared = connect().head("POST", "/tlsrpt", HOST, Map.of("Content-Type", JSON,
        "Content-Length", Integer.toString(64 * 1024 + 1)));
    RawHttp.Response declaredAnswer = declared.read();
    // Chunked: cut at the limit while it is still coming.
    RawHttp chunked = connect().head("POST", "/tlsrpt", HOST, Map.of("Content-Type", JSON,
        "Transfer-Encoding", "chunked"));
    for (int i = 0; i < 20 && chunked.tryChunk(new byte[8 * 1024]); i++) {
      // 160 KiB at most; the receiver answers after 64 KiB
    }
    RawHttp.Response chunkedAnswer = chunked.read();

    assertThat(declaredAnswer.status()).isEqualTo(413);
    assertThat(declaredAnswer.body()).contains("above the limit of 65536 bytes");
    assertThat(chunkedAnswer.status()).isEqualTo(413);
    assertThat(intake.stored()).isEmpty();
    assertThat(count("too_large")).isEqualTo(2);
  }

  @Test
  void aSlowBodyIsCutAtTheDeadlineAndHoldsNoWorker() {
    long started = System.nanoTime();
    RawHttp slow = connect().head("POST", "/tlsrpt", HOST, Map.of("Content-Type", JSON, "Content-Length", "1000"))
        .write("{\"report-id\"".getBytes(StandardCharsets.US_ASCII));
    // Meanwhile another sender is served at once.
    RawHttp.Response other = post(HOST, JSON, report("r-5", "example.com"));
    RawHttp.Response cut = slow.read();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(other.status()).isEqualTo(201);
    assertThat(cut.status()).isEqualTo(408);
    assertThat(slow.closedByPeer()).isTrue();
    assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));
    assertThat(count("timeout")).isEqualTo(1);
  }

  @Test
  void intakeOutcomesMapToStatuses() {
    RawHttp.Response malformed = post(HOST, JSON, "{\"no\": \"id\"}".getBytes(StandardCharsets.UTF_8));
    RawHttp.Response notOurs = post(HOST, JSON, report("r-6", "example.org"));
    intake.unavailable(true);
    RawHttp.Response unavailable = post(HOST, JSON, report("r-7", "example.com"));
    intake.unavailable(false);
    RawHttp.Response retried = post(HOST, JSON, report("r-7", "example.com"));

    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).isEqualTo("report-id: missing (RFC 8460 §4.4)\n");
    assertThat(notOurs.status()).isEqualTo(403);
    assertThat(notOurs.body()).contains("policy-domain example.org is not the domain of mta-sts.example.com");
    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.header("Retry-After")).contains("60");
    assertThat(retried.status()).isEqualTo(201);
    assertThat(intake.stored()).extracting(RecordingIntake.Stored::reportId).containsExactly("r-7");
  }

  @Test
  void beyondTheRequestsInFlightASenderGets503AtOnceAndTheReceiverRecovers() {
    intake.hold();
    List<CompletableFuture<RawHttp.Response>> held = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      String id = "held-" + i;
      held.add(CompletableFuture.supplyAsync(() -> post(HOST, JSON, report(id, "example.com"))));
    }
    await().atMost(Duration.ofSeconds(5)).until(() ->
        registry.get("mtasts.reports.in.flight").gauge().value() == 2);

    RawHttp.Response refused = post(HOST, JSON, report("third", "example.com"));
    intake.release();

    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).contains("60");
    assertThat(held).allSatisfy(f -> assertThat(f.join().status()).isEqualTo(201));
    assertThat(post(HOST, JSON, report("third", "example.com")).status()).isEqualTo(201);
    assertThat(count("overloaded")).isEqualTo(1);
  }
}
