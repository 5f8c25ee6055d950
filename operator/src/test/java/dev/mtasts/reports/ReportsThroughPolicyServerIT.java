package dev.mtasts.reports;

import static dev.mtasts.reports.RecordingIntake.gzip;
import static dev.mtasts.reports.RecordingIntake.report;
import static dev.mtasts.testing.TestPolicies.receiving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.NginxConfig;
import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.RawHttp;
import dev.mtasts.testing.TestCertificates;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.TestPolicies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sender POSTing reports to https://mta-sts.example.com/tlsrpt: Debian's nginx running exactly the configuration
 * the policy server's ConfigMap holds, the receiver behind it, and in front a second nginx that terminates TLS
 * with a test certificate and passes the Host on, standing in for the Ingress (whose data plane is not run here).
 * The intake is a stand-in for the cluster store ({@link RecordingIntake}); it alone judges the domain.
 */
class ReportsThroughPolicyServerIT {

  static final String HOST = "mta-sts.example.com";
  static final String JSON = "application/tlsrpt+json";

  static final RecordingIntake intake = new RecordingIntake();
  static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  static HttpsReportReceiver receiver;
  static LocalNginx policyServer;
  static InetSocketAddress policyServerAddress;
  static TestDaemon ingress;
  static InetSocketAddress ingressAddress;
  static SSLContext tls;
  static PublishedPolicy published;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    // nginx's workers run unprivileged: they must get through the test's folder to their own.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    receiver = HttpsReportReceiver.start(HttpsReportReceiver.Settings.on(new InetSocketAddress("127.0.8.2", 0)),
        intake, registry);
    MtaStsPolicy policy = receiving("example.com", "example.org");
    published = TestPolicies.published(policy, "20261201000000");
    OperatorSettings settings = OperatorSettings.defaults()
        .withReportReceiver(URI.create("http://127.0.8.2:" + receiver.port()));
    Map<String, String> configMap = PolicyConfigMap.desired(policy, settings, published).getData();
    policyServerAddress = new InetSocketAddress("127.0.8.3", Ports.free());
    policyServer = LocalNginx.serve(configMap, Files.createDirectories(dir.resolve("policy-server")),
        policyServerAddress);

    TestCertificates ca = new TestCertificates();
    Path front = Files.createDirectories(dir.resolve("ingress"));
    Files.setPosixFilePermissions(front, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path[] certificate = ca.issue(front, "policy-hosts", Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(86400), HOST, "mta-sts.example.org");
    tls = trusting(ca.writeCa(front.resolve("ca.crt")));
    ingressAddress = new InetSocketAddress("127.0.8.4", Ports.free());
    ingress = startIngress(front, certificate);
  }

  /** What an Ingress controller does for these two Exact paths: TLS, then the request with its Host. */
  static TestDaemon startIngress(Path dir, Path[] certificate) throws Exception {
    String upstream = "http://127.0.8.3:" + policyServerAddress.getPort();
    String location = """
          location = %s {
            proxy_pass %s;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
          }
        """;
    String config = """
        daemon off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log stderr warn;
        events { worker_connections 128; }
        http {
          access_log off;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          # Larger than the policy server's limit, so that it is the policy server that refuses.
          client_max_body_size 8m;
          server {
            listen %2$s:%3$d ssl;
            server_name mta-sts.example.com mta-sts.example.org;
            ssl_certificate %4$s;
            ssl_certificate_key %5$s;
        %6$s%7$s
            location / { return 404; }
          }
        }
        """.formatted(dir, ingressAddress.getAddress().getHostAddress(), ingressAddress.getPort(), certificate[0],
        certificate[1], location.formatted("/.well-known/mta-sts.txt", upstream),
        location.formatted("/tlsrpt", upstream));
    Path file = dir.resolve("ingress.conf");
    Files.writeString(file, config);
    return TestDaemon.start(List.of(LocalNginx.binary().toString(), "-c", file.toString(), "-e", "stderr"),
        dir.resolve("ingress.log"), () -> TestDaemon.accepts(ingressAddress));
  }

  static SSLContext trusting(Path caFile) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caFile)) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {ingress, policyServer, receiver}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // stopping: go on with the others
      }
    }
  }

  @BeforeEach
  void available() {
    intake.unavailable(false);
  }

  static RawHttp sender(String host) {
    return RawHttp.connectTls(ingressAddress, tls, host);
  }

  static RawHttp.Response post(String host, String contentType, byte[] body) {
    return RawHttp.post(sender(host), "/tlsrpt", host, contentType, body);
  }

  static double reachedReceiver() {
    return registry.get("mtasts.reports.requests").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Test
  void aReportPostedOverHttpsIsStoredWithThePolicyHost() {
    RawHttp.Response json = post(HOST, JSON, report("through-1", "example.com"));
    RawHttp.Response gzipped = post("mta-sts.example.org", "application/tlsrpt+gzip",
        gzip(report("through-2", "example.org")));
    RawHttp.Response again = post(HOST, JSON, report("through-1", "example.com"));

    assertThat(json.status()).as(json.body()).isEqualTo(201);
    assertThat(gzipped.status()).as(gzipped.body()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(200);
    assertThat(intake.stored()).filteredOn(s -> s.reportId().startsWith("through-"))
        .extracting(s -> s.reportId() + " " + s.policyHost().orElseThrow())
        .containsExactly("through-1 mta-sts.example.com", "through-2 mta-sts.example.org");
    assertThat(intake.stored()).filteredOn(s -> s.reportId().equals("through-1")).singleElement()
        .satisfies(s -> assertThat(s.source()).as("the policy server, for the sender behind the Ingress")
            .isEqualTo("https 127.0.0.1 for 127.0.0.1, 127.0.0.1"));
  }

  @Test
  void thePolicyIsStillServedAndEverythingElseIs404() {
    RawHttp policy = sender(HOST).head("GET", "/.well-known/mta-sts.txt", HOST, Map.of());
    RawHttp.Response served = policy.read();
    RawHttp.Response other = RawHttp.connect(policyServerAddress).head("GET", "/tlsrpt/", HOST, Map.of()).read();
    RawHttp.Response root = RawHttp.connect(policyServerAddress).head("POST", "/", HOST,
        Map.of("Content-Type", JSON, "Content-Length", "0")).read();

    assertThat(served.status()).isEqualTo(200);
    assertThat(served.body()).isEqualTo(published.content().body());
    assertThat(other.status()).isEqualTo(404);
    assertThat(root.status()).isEqualTo(404);
  }

  @Test
  void getAndPutAreRefusedWith405ByNginx() {
    double before = reachedReceiver();
    RawHttp.Response get = sender(HOST).head("GET", "/tlsrpt", HOST, Map.of()).read();
    RawHttp.Response put = sender(HOST).head("PUT", "/tlsrpt", HOST, Map.of("Content-Type", JSON,
        "Content-Length", "2")).write("{}".getBytes(StandardCharsets.US_ASCII)).read();

    assertThat(get.status()).isEqualTo(405);
    assertThat(get.header("Allow")).contains("POST");
    assertThat(put.status()).isEqualTo(405);
    assertThat(put.header("Allow")).contains("POST");
    assertThat(reachedReceiver()).as("requests that reached the receiver").isEqualTo(before);
  }

  @Test
  void anotherMediaTypeIs415ByNginx() {
    double before = reachedReceiver();
    RawHttp.Response json = post(HOST, "application/json", report("type-1", "example.com"));
    RawHttp.Response none = RawHttp.post(sender(HOST), "/tlsrpt", HOST, "", report("type-2", "example.com"));
    RawHttp.Response lookalike = post(HOST, "application/tlsrpt+jsonx", report("type-3", "example.com"));
    RawHttp.Response withParameter = post(HOST, "Application/TLSRPT+JSON; charset=utf-8",
        report("type-4", "example.com"));

    assertThat(List.of(json.status(), none.status(), lookalike.status())).containsOnly(415);
    assertThat(withParameter.status()).as(withParameter.body()).isEqualTo(201);
    assertThat(reachedReceiver()).isEqualTo(before + 1);
  }

  @Test
  void aBodyOverTheLimitIs413ByNginxWithoutReachingTheReceiver() {
    double before = reachedReceiver();
    byte[] large = new byte[HttpsReportReceiver.MAX_REPORT_BYTES + 1];
    RawHttp.Response declared = post(HOST, JSON, large);
    RawHttp chunked = sender(HOST).head("POST", "/tlsrpt", HOST, Map.of("Content-Type", JSON,
        "Transfer-Encoding", "chunked"));
    for (int i = 0; i < 40 && chunked.tryChunk(new byte[64 * 1024]); i++) {
      // 2.5 MiB at most
    }
    chunked.tryWrite("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    RawHttp.Response chunkedAnswer = chunked.read();

    assertThat(declared.status()).isEqualTo(413);
    assertThat(chunkedAnswer.status()).isEqualTo(413);
    assertThat(reachedReceiver()).isEqualTo(before);
  }

  /** Straight at the policy server: the Ingress in front has its own body timeout. */
  @Test
  void aSlowBodyIsCutByNginxAndNeverReachesTheReceiver() {
    double before = reachedReceiver();
    long started = System.nanoTime();
    RawHttp slow = RawHttp.connect(policyServerAddress).head("POST", "/tlsrpt", HOST,
        Map.of("Content-Type", JSON, "Content-Length", "1000")).write("{\"report-id\"".getBytes(StandardCharsets.US_ASCII));

    boolean closed = slow.closedByPeer();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(closed).isTrue();
    assertThat(took).isBetween(Duration.ofSeconds(NginxConfig.REPORT_BODY_TIMEOUT_SECONDS - 1),
        Duration.ofSeconds(NginxConfig.REPORT_BODY_TIMEOUT_SECONDS + 5));
    assertThat(reachedReceiver()).isEqualTo(before);
  }

  @Test
  void aReportForAnotherHostsDomainIsRefused403() {
    RawHttp.Response refused = post(HOST, JSON, report("other-1", "example.org"));

    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.body()).contains("policy-domain example.org is not the domain of mta-sts.example.com");
    assertThat(intake.stored()).extracting(RecordingIntake.Stored::reportId).doesNotContain("other-1");
  }

  @Test
  void malformedJsonIs400WithTheMessage() {
    RawHttp.Response malformed = post(HOST, JSON, "{\"report-id\": ".getBytes(StandardCharsets.UTF_8));

    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body()).isEqualTo("the body is not JSON (RFC 8460 §4.4)\n");
  }

  /** nginx resolves a proxy_pass name once at start and would not start; this one is resolved per report. */
  @Test
  void aReceiverNameThatDoesNotResolveFailsOnlyTheReports(@TempDir Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    MtaStsPolicy policy = receiving("example.com");
    OperatorSettings settings = OperatorSettings.defaults()
        .withReportReceiver(URI.create("http://receiver.mta-sts-system.svc.invalid:8090"))
        .withReportResolvers(List.of("127.0.8.5"));
    InetSocketAddress address = new InetSocketAddress("127.0.8.6", Ports.free());
    try (LocalNginx unresolved = LocalNginx.serve(PolicyConfigMap.desired(policy, settings,
        TestPolicies.published(policy, "20261201000000")).getData(), dir, address)) {
      RawHttp.Response served = RawHttp.connect(address).head("GET", "/.well-known/mta-sts.txt", HOST, Map.of())
          .read();
      RawHttp.Response report = RawHttp.post(RawHttp.connect(address), "/tlsrpt", HOST, JSON,
          report("unresolved-1", "example.com"));

      assertThat(served.status()).isEqualTo(200);
      assertThat(report.status()).as("no DNS server answers at 127.0.8.5").isIn(502, 504);
    }
  }

  @Test
  void anUnavailableStoreGives503WithRetryAfterAndTheReceiverKeepsWorking() {
    intake.unavailable(true);
    RawHttp.Response unavailable = post(HOST, JSON, report("later-1", "example.com"));
    intake.unavailable(false);
    RawHttp.Response retried = post(HOST, JSON, report("later-1", "example.com"));

    assertThat(unavailable.status()).isEqualTo(503);
    assertThat(unavailable.header("Retry-After")).contains("60");
    assertThat(retried.status()).isEqualTo(201);
  }
}
