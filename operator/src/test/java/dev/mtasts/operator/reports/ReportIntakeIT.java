package dev.mtasts.operator.reports;

import static dev.mtasts.operator.reports.IntakeReports.clean;
import static dev.mtasts.operator.reports.IntakeReports.googleLike;
import static dev.mtasts.operator.reports.IntakeReports.yesterday;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ReportsSummary;
import dev.mtasts.api.v1alpha1.TlsRptReport;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.desired.NginxConfig;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.reports.HttpsReportReceiver;
import dev.mtasts.reports.ImapMailboxSettings;
import dev.mtasts.reports.ImapReportPoller;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.Kubectl;
import dev.mtasts.testing.LocalMailbox;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.RawHttp;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestCertificates;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain of issue 14 on a real API server: the operator as {@code run --report-receiver-port
 * --report-imap-url} starts it, its receiver on 127.0.11.2, the policy server's nginx (Debian's, running the
 * ConfigMap the operator wrote) on 127.0.11.3 in front of it, and the mailbox of the mailto: rua (postfix
 * delivering to Dovecot, {@link LocalMailbox}) that its poller reads. The Ingress in front of nginx (TLS) is not
 * run: nginx gets the request as the Ingress passes it, plain HTTP with the sender's Host. Asserted is what a
 * user checks: the answers a sender gets, {@code kubectl get tlsrptreports}, the mailbox, the policy's status and
 * /metrics.
 *
 * <p>Each domain has a policy of its own, so that each test's counts and status are its own: example.com (one
 * report by both channels, failing), example.net (a clean report by mail), example.org (bad input, retention,
 * metrics).
 */
@ExtendWith(RealKubernetes.class)
class ReportIntakeIT {

  static final String NAMESPACE = "report-intake";
  static final String RECEIVER_HOST = "127.0.11.2";
  static final String POLICY_SERVER_HOST = "127.0.11.3";
  static final String JSON = "application/tlsrpt+json";
  static final String GZIP = "application/tlsrpt+gzip";
  static final String PROCESSED = "Processed";
  static final String REFUSED = "Refused";

  static KubernetesCluster cluster;
  static KubernetesClient client;
  static LocalMailbox mailbox;
  static RunningOperator operator;
  static LocalNginx policyServer;
  static InetSocketAddress receiver;
  static InetSocketAddress nginx;

  @BeforeAll
  static void start(KubernetesCluster kubernetes, @TempDir Path dir) throws Exception {
    cluster = kubernetes;
    client = kubernetes.client();
    // nginx's and Dovecot's unprivileged workers must get through the test's folder to their own.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    mailbox = LocalMailbox.start(Files.createDirectories(dir.resolve("mail")), new TestCertificates());

    int receiverPort = Ports.free();
    OperatorSettings settings = OperatorSettings.defaults()
        .withReportReceiver(URI.create("http://" + RECEIVER_HOST + ":" + receiverPort));
    ImapMailboxSettings imap = ImapMailboxSettings.of(mailbox.imapsUrl(), LocalMailbox.USER, LocalMailbox.PASSWORD)
        .withCaFile(Optional.of(mailbox.caFile())).withPollInterval(Duration.ofSeconds(1))
        .withProcessedFolder(Optional.of(PROCESSED)).withRefusedFolder(Optional.of(REFUSED))
        .withTimeout(Duration.ofSeconds(10));
    operator = RunningOperator.start(cluster, NAMESPACE, settings, RunningOperator.unreachableService(),
        new MtaStsOperator.Reports(Duration.parse("P31D"), receiverPort, Optional.of(imap)).onHost(RECEIVER_HOST));
    receiver = new InetSocketAddress(RECEIVER_HOST, operator.operator().reportReceiverPort().orElseThrow());

    for (String domain : List.of("example.com", "example.net", "example.org")) {
      MtaStsPolicy policy = TestPolicies.receiving(domain);
      policy.getSpec().getTlsRpt().setRua(new ArrayList<>(List.of("mailto:" + LocalMailbox.USER)));
      policy.getMetadata().setNamespace(NAMESPACE);
      client.resource(policy).serverSideApply();
    }
    ConfigMap configMap = await().atMost(Duration.ofSeconds(30)).until(
        () -> client.configMaps().inNamespace(NAMESPACE).withName("example-com-policy").get(), c -> c != null);
    nginx = new InetSocketAddress(POLICY_SERVER_HOST, Ports.free());
    policyServer = LocalNginx.serve(configMap.getData(), Files.createDirectories(dir.resolve("policy-server")), nginx);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {policyServer, operator, mailbox}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // stopping: go on with the others
      }
    }
  }

  // 1. What a user checks.

  @Test
  void aReportThroughThePolicyServerIsOneObjectOfThePolicyAndTheSameByMailStaysOne() throws Exception {
    byte[] report = googleLike("intake-google-1", yesterday(), "example.com");
    String day = yesterday().toString();

    RawHttp.Response stored = post(nginx, "mta-sts.example.com", JSON, report);
    RawHttp.Response again = post(nginx, "mta-sts.example.com", JSON, report);

    assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.body()).startsWith("already stored as " + NAMESPACE + "/example-com-");
    TlsRptReport object = assertThat(reportsOf("example-com")).singleElement().actual();
    MtaStsPolicy policy = policy("example-com");
    assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
      assertThat(owner.getKind()).isEqualTo("MtaStsPolicy");
      assertThat(owner.getName()).isEqualTo("example-com");
      assertThat(owner.getUid()).isEqualTo(policy.getMetadata().getUid());
    });
    assertThat(object.getSpec().getChannel()).isEqualTo("https");

    Map<String, String> row = kubectlRow("-l", TlsRptReport.POLICY_LABEL + "=example-com");
    assertThat(row).containsEntry("NAME", object.getMetadata().getName())
        .containsEntry("ORGANIZATION", "Google Inc.")
        .containsEntry("DOMAIN", "example.com")
        .containsEntry("START", day + "T00:00:00Z")
        .containsEntry("END", day + "T23:59:59Z")
        .containsEntry("SUCCESSFUL", "1520")
        .containsEntry("FAILED", "3")
        .containsEntry("POLICY", "example-com");

    mailbox.send(IntakeReports.mail(report, "example.com", "intake-google-1"), "tlsrpt-noreply@sender.example");
    Flags flags = awaitMail(PROCESSED, "example.com", "intake-google-1");
    assertThat(flags.contains(Flags.Flag.SEEN)).as("marked read once stored (as a duplicate)").isTrue();
    assertThat(reportsOf("example-com")).as("the same report by mail is the same object").singleElement()
        .satisfies(r -> assertThat(r.getMetadata().getResourceVersion())
            .isEqualTo(object.getMetadata().getResourceVersion()));

    Condition reportsClean = awaitCondition("example-com", ConditionTypes.REPORTS_CLEAN, "False");
    assertThat(reportsClean.getReason()).isEqualTo("FailuresReported");
    assertThat(reportsClean.getMessage()).isEqualTo("1 report from Google Inc. in the last 14 days: 3 of 1523"
        + " sessions failed (0.00197): certificate-expired at mx2.example.com: 3");
    ReportsSummary summary = policy("example-com").getStatus().getReports();
    assertThat(summary.getReports()).isEqualTo(1);
    assertThat(summary.getOrganizations()).containsExactly("Google Inc.");
    assertThat(summary.getSuccessfulSessions()).isEqualTo(1520);
    assertThat(summary.getFailedSessions()).isEqualTo(3);
    assertThat(summary.getLastReport()).isEqualTo(day + "T23:59:59Z");
  }

  @Test
  void aCleanReportByMailIsStoredAndReportsCleanIsTrue() throws Exception {
    mailbox.send(IntakeReports.mail(clean("intake-clean-1", yesterday(), "example.net"), "example.net",
        "intake-clean-1"), "tlsrpt-noreply@sender.example");

    Flags flags = awaitMail(PROCESSED, "example.net", "intake-clean-1");
    assertThat(flags.contains(Flags.Flag.SEEN)).isTrue();
    assertThat(reportsOf("example-net")).singleElement().satisfies(r -> {
      assertThat(r.getSpec().getChannel()).isEqualTo("mail");
      assertThat(r.getSpec().getOrganization()).isEqualTo("Minimal Reporter");
      assertThat(r.getSpec().getSuccessfulSessions()).isEqualTo(5);
    });
    Condition reportsClean = awaitCondition("example-net", ConditionTypes.REPORTS_CLEAN, "True");
    assertThat(reportsClean.getReason()).isEqualTo("NoFailuresReported");
    assertThat(reportsClean.getMessage())
        .isEqualTo("1 report from Minimal Reporter in the last 14 days: all 5 sessions succeeded");
  }

  @Test
  void aReportByMailForAnotherDomainIsRefusedAndNothingIsStored() throws Exception {
    int before = allReports();
    mailbox.send(IntakeReports.mail(clean("intake-other-1", yesterday(), "other.example"), "other.example",
        "intake-other-1"), "tlsrpt-noreply@sender.example");

    Flags flags = awaitMail(REFUSED, "other.example", "intake-other-1");
    assertThat(flags.contains(Flags.Flag.SEEN)).isTrue();
    assertThat(flags.contains(ImapReportPoller.REFUSED_KEYWORD)).isTrue();
    assertThat(allReports()).isEqualTo(before);
  }

  @Test
  void sessionsAreCountedInPrometheusWithBoundedLabels() throws Exception {
    var report = IntakeReports.read("several-failures.json");
    report.put("report-id", "intake-metrics-1");
    report.put("organization-name", "Metrics Sender");
    var range = (ObjectNode) report.get("date-range");
    range.put("start-datetime", yesterday() + "T00:00:00Z");
    range.put("end-datetime", yesterday() + "T23:59:59Z");
    // One policy about example.org, one failure of a made-up result type: it must not become a label value.
    var policies = (ArrayNode) report.get("policies");
    policies.remove(0);
    ((ObjectNode) policies.get(0).get("failure-details").get(0))
        .put("result-type", "x-made-up-by-sender");

    RawHttp.Response stored = post(receiver, "mta-sts.example.org", JSON, IntakeReports.bytes(report));

    assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    List<String> series = operator.operator().scrapeMetrics().lines()
        .filter(l -> l.startsWith("mtasts_tlsrpt_sessions_total{")).toList();
    List<String> ours = series.stream().filter(l -> l.contains("organization=\"metrics sender\"")).toList();
    assertThat(ours).containsExactlyInAnyOrder(
        "mtasts_tlsrpt_sessions_total{domain=\"example.org\",namespace=\"report-intake\",organization=\"metrics"
            + " sender\",policy=\"example-org\",result=\"successful\"} 77.0",
        "mtasts_tlsrpt_sessions_total{domain=\"example.org\",namespace=\"report-intake\",organization=\"metrics"
            + " sender\",policy=\"example-org\",result=\"other\"} 1.0");
    assertThat(series).as("every series has exactly the five labels, none an address or free text")
        .allSatisfy(l -> assertThat(labels(l).keySet())
            .containsExactlyInAnyOrder("namespace", "policy", "domain", "organization", "result"))
        .noneMatch(l -> l.contains("203.0.113.") || l.contains("x-made-up"));
  }

  // 2. Bad input: refused with the reason, nothing stored, the operator unaffected.

  @Test
  void aGzipBombIsRefused400NamingTheLimitDirectlyAndThroughNginx() throws Exception {
    // 17 MiB of spaces compress to some 17 KB: past the parser's 16 MiB, well within the 1 MiB body limit.
    byte[] bomb = gzip(new byte[17 << 20], (byte) ' ');
    assertThat(bomb.length).isLessThan(64 << 10);
    int before = allReports();

    RawHttp.Response direct = post(receiver, "mta-sts.example.org", GZIP, bomb);
    RawHttp.Response throughNginx = post(nginx, "mta-sts.example.org", GZIP, bomb);

    for (RawHttp.Response answer : List.of(direct, throughNginx)) {
      assertThat(answer.status()).as(answer.body()).isEqualTo(400);
      assertThat(answer.body()).isEqualTo("body: decompresses to more than 16777216 bytes (report size limits)\n");
    }
    assertThat(allReports()).isEqualTo(before);
    assertOperatorUnaffected("bomb");
  }

  @Test
  void anOversizedBodyIs413DirectlyAndThroughNginx() throws Exception {
    byte[] large = new byte[HttpsReportReceiver.MAX_REPORT_BYTES + 1];
    Arrays.fill(large, (byte) ' ');
    int before = allReports();

    RawHttp.Response direct = post(receiver, "mta-sts.example.org", JSON, large);
    RawHttp.Response throughNginx = post(nginx, "mta-sts.example.org", JSON, large);

    assertThat(direct.status()).as(direct.body()).isEqualTo(413);
    assertThat(direct.body()).isEqualTo("Content-Length 1048577 is above the limit of 1048576 bytes\n");
    assertThat(throughNginx.status()).isEqualTo(413);
    assertThat(allReports()).isEqualTo(before);
    assertOperatorUnaffected("oversized");
  }

  /** Through nginx, which cuts it after its body timeout; the receiver's own deadline (30 s) is its unit test's. */
  @Test
  void aSlowBodyIsCutByNginx() throws Exception {
    int before = allReports();
    long started = System.nanoTime();
    RawHttp slow = RawHttp.connect(nginx).head("POST", "/tlsrpt", "mta-sts.example.org",
        Map.of("Content-Type", JSON, "Content-Length", "1000"))
        .write("{\"report-id\"".getBytes(StandardCharsets.US_ASCII));

    boolean closed = slow.closedByPeer();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(closed).isTrue();
    assertThat(took).isBetween(Duration.ofSeconds(NginxConfig.REPORT_BODY_TIMEOUT_SECONDS - 1),
        Duration.ofSeconds(NginxConfig.REPORT_BODY_TIMEOUT_SECONDS + 5));
    assertThat(allReports()).isEqualTo(before);
    assertOperatorUnaffected("slow");
  }

  @Test
  void malformedJsonAndDeepNestingAre400WithTheReason() throws Exception {
    int before = allReports();
    RawHttp.Response malformed = post(receiver, "mta-sts.example.org", JSON,
        "{\"report-id\": ".getBytes(StandardCharsets.UTF_8));
    RawHttp.Response deep = post(nginx, "mta-sts.example.org", JSON,
        ("{\"organization-name\": " + "[".repeat(40) + "]".repeat(40) + "}").getBytes(StandardCharsets.UTF_8));

    assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
    assertThat(malformed.body()).startsWith("line 1, column ").contains("is not valid JSON");
    assertThat(deep.status()).as(deep.body()).isEqualTo(400);
    assertThat(deep.body()).contains("nesting depth").contains("exceeds a limit");
    assertThat(allReports()).isEqualTo(before);
    assertOperatorUnaffected("malformed");
  }

  @Test
  void aWrongMediaTypeIs415AndGetOrPutIs405DirectlyAndThroughNginx() throws Exception {
    int before = allReports();
    byte[] report = clean("intake-method-1", yesterday(), "example.org");
    for (InetSocketAddress target : List.of(receiver, nginx)) {
      RawHttp.Response json = post(target, "mta-sts.example.org", "application/json", report);
      RawHttp.Response get = RawHttp.connect(target).head("GET", "/tlsrpt", "mta-sts.example.org", Map.of()).read();
      RawHttp.Response put = RawHttp.connect(target).head("PUT", "/tlsrpt", "mta-sts.example.org",
          Map.of("Content-Type", JSON, "Content-Length", Integer.toString(report.length))).write(report).read();

      assertThat(json.status()).as(target + " " + json.body()).isEqualTo(415);
      assertThat(get.status()).as(target + " " + get.body()).isEqualTo(405);
      assertThat(put.status()).as(target + " " + put.body()).isEqualTo(405);
      assertThat(get.header("Allow")).as(target.toString()).contains("POST");
    }
    assertThat(allReports()).isEqualTo(before);
    assertOperatorUnaffected("method");
  }

  @Test
  void aReportForAnotherOfOurDomainsThroughThisPolicyHostIs403() throws Exception {
    int before = allReports();
    // example.net has a policy here, but not one whose host this is.
    RawHttp.Response refused = post(nginx, "mta-sts.example.org", JSON,
        clean("intake-cross-1", yesterday(), "example.net"));

    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.body()).isEqualTo("the report is about example.net, not example.org: a policy host takes"
        + " reports about its own domain only\n");
    assertThat(allReports()).isEqualTo(before);
    assertOperatorUnaffected("cross");
  }

  @Test
  void aReplayedReportIdIs200AndOneObject() throws Exception {
    int before = allReports();
    byte[] report = clean("intake-replay-1", yesterday(), "example.org");

    RawHttp.Response first = post(receiver, "mta-sts.example.org", JSON, report);
    RawHttp.Response replayed = post(nginx, "mta-sts.example.org", GZIP, gzip(report));
    int afterReplay = allReports();
    // The same report-id from another sender (organization) is another report.
    RawHttp.Response otherSender = post(receiver, "mta-sts.example.org", JSON,
        googleLike("intake-replay-1", yesterday(), "example.org"));

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
    assertThat(afterReplay).isEqualTo(before + 1);
    assertThat(otherSender.status()).as(otherSender.body()).isEqualTo(201);
    assertThat(allReports()).isEqualTo(before + 2);
  }

  /**
   * The most a sender can send within the limits: gzip'd under the 1 MiB body limit, 7 MB of JSON under the
   * parser's 16 MiB, 60 failure details with MX names and result types of 60,000 characters (the parser allows
   * strings to 64 KiB). The stored object must still be bounded, or etcd (1.5 MiB a value) refuses it and the
   * sender, answered 503, retries forever.
   */
  @Test
  void aReportWithHugeNamesIsStoredBounded() throws Exception {
    byte[] report = gzip(IntakeReports.bytes(worstCase("intake-huge-1", TlsRptReportSpec.MAX_TEXT, 60_000)));
    assertThat(report.length).isLessThan(HttpsReportReceiver.MAX_REPORT_BYTES);

    RawHttp.Response stored = post(receiver, "mta-sts.example.org", GZIP, report);

    assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    TlsRptReport object = reportsOf("example-org").stream()
        .filter(r -> r.getSpec().getReportId().startsWith("intake-huge-1")).findFirst().orElseThrow();
    assertThat(object.getSpec().getResults()).hasSize(TlsRptReportSpec.MAX_RESULTS);
    assertThat(object.getSpec().getFailureDetails()).hasSize(TlsRptReportSpec.MAX_FAILURE_DETAILS);
    assertThat(object.getSpec().getTruncated()).isTrue();
    assertThat(storedJson(object).length).as("bytes of the stored object").isLessThan(128 << 10);
  }

  // 5. Retention.

  @Test
  void aReportWhosePeriodEndedBeforeTheRetentionIsDeleted() throws Exception {
    byte[] old = clean("intake-old-1", yesterday().minusDays(40), "example.org");

    RawHttp.Response stored = post(receiver, "mta-sts.example.org", JSON, old);

    assertThat(stored.status()).as(stored.body()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(reportsOf("example-org"))
        .as("deleted by the reconciler: --report-retention P31D")
        .noneMatch(r -> r.getSpec().getReportId().equals("intake-old-1")));
  }

  // 4. Storage cost.

  @Test
  void storageCostOfOneReport() throws Exception {
    byte[] typical = googleLike("intake-size-typical", yesterday(), "example.org");
    byte[] worst = IntakeReports.bytes(worstCase("intake-size-worst", TlsRptReportSpec.MAX_TEXT,
        TlsRptReportSpec.MAX_TEXT));
    assertThat(post(receiver, "mta-sts.example.org", JSON, typical).status()).isEqualTo(201);
    assertThat(post(receiver, "mta-sts.example.org", JSON, worst).status()).isEqualTo(201);

    StringBuilder figures = new StringBuilder("ReportIntakeIT storage cost of one TlsRptReport:\n");
    Optional<EtcdValues> etcd = EtcdValues.ofRunningApiServer();
    for (String id : List.of("intake-size-typical", "intake-size-worst")) {
      TlsRptReport object = reportsOf("example-org").stream()
          .filter(r -> r.getSpec().getReportId().startsWith(id)).findFirst().orElseThrow();
      int json = storedJson(object).length;
      Optional<Integer> inEtcd = etcd.flatMap(e -> e.size("/registry/mtasts.dev/tlsrptreports/" + NAMESPACE + "/"
          + object.getMetadata().getName()));
      long month = 100L * 10 * 31 * inEtcd.orElse(json);
      figures.append(String.format("  %-20s %6d bytes as JSON without managedFields, %s in etcd;"
              + " 100 domains x 10 senders x 31 days = %.1f MiB%n", id, json,
          inEtcd.map(n -> n + " bytes").orElse("(etcd not reachable)"), month / (1024.0 * 1024.0)));
      assertThat(json).isLessThan(64 << 10);
    }
    System.out.print(figures);
  }

  // Helpers.

  /** A good report right after the bad one is stored, and the reconciler reads it into the policy's status. */
  private static void assertOperatorUnaffected(String what) throws Exception {
    String id = "intake-after-" + what;
    RawHttp.Response good = post(nginx, "mta-sts.example.org", JSON, clean(id, yesterday(), "example.org"));
    assertThat(good.status()).as(good.body()).isEqualTo(201);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      MtaStsPolicy policy = policy("example-org");
      assertThat(policy.getStatus().getObservedGeneration()).isEqualTo(policy.getMetadata().getGeneration());
      assertThat(Optional.ofNullable(policy.getStatus().getReports()).map(ReportsSummary::getReports).orElse(0))
          .as("reports in example-org's status")
          .isEqualTo((int) reportsOf("example-org").stream()
              .filter(r -> !r.getSpec().getEndDatetime().startsWith(yesterday().minusDays(40).toString())).count());
    });
  }

  /**
   * A report that fills every bound of the stored object: 60 failure details with distinct MX names (20 results
   * kept, the rest summed, 5 details kept), every free text {@code text} long, MX names and result types
   * {@code names} long.
   */
  static ObjectNode worstCase(String reportId, int text, int names) {
    var report = IntakeReports.read("several-failures.json");
    report.put("report-id", reportId + "-" + "r".repeat(Math.max(0, text - reportId.length() - 1)));
    report.put("organization-name", "Worst Case Sender " + "o".repeat(Math.max(0, text - 18)));
    report.put("contact-info", "c".repeat(text));
    var range = (ObjectNode) report.get("date-range");
    range.put("start-datetime", yesterday() + "T00:00:00Z");
    range.put("end-datetime", yesterday() + "T23:59:59Z");
    var policies = (ArrayNode) report.get("policies");
    policies.remove(1);
    var policy = (ObjectNode) policies.get(0);
    ((ObjectNode) policy.get("policy")).put("policy-domain", "example.org");
    var details = policy.putArray("failure-details");
    for (int i = 0; i < 60; i++) {
      var detail = details.addObject();
      detail.put("result-type", "certificate-expired-" + i + "-" + "t".repeat(Math.max(0, names - 25)));
      detail.put("sending-mta-ip", "2001:db8::" + Integer.toHexString(i + 1));
      detail.put("receiving-mx-hostname", "mx" + i + "." + "m".repeat(Math.max(0, names - 20)) + ".example.org");
      detail.put("receiving-mx-helo", "h".repeat(text));
      detail.put("receiving-ip", "192.0.2." + (i + 1));
      detail.put("failed-session-count", 1);
      detail.put("failure-reason-code", "f".repeat(text));
      detail.put("additional-information", "https://" + "a".repeat(Math.max(0, text - 8)));
    }
    ((ObjectNode) policy.get("summary")).put("total-failure-session-count", 60);
    return report;
  }

  /** The object as the API server returns it, without managedFields (which an informer cache drops too). */
  static byte[] storedJson(TlsRptReport object) throws IOException {
    String raw = client.raw("/apis/mtasts.dev/v1alpha1/namespaces/" + NAMESPACE + "/tlsrptreports/"
        + object.getMetadata().getName());
    var node = (ObjectNode) IntakeReports.JSON.readTree(raw);
    ((ObjectNode) node.get("metadata")).remove("managedFields");
    return IntakeReports.JSON.writeValueAsBytes(node);
  }

  static RawHttp.Response post(InetSocketAddress target, String host, String contentType, byte[] body) {
    return RawHttp.post(RawHttp.connect(target), "/tlsrpt", host, contentType, body);
  }

  static List<TlsRptReport> reportsOf(String policy) {
    return client.resources(TlsRptReport.class).inNamespace(NAMESPACE)
        .withLabel(TlsRptReport.POLICY_LABEL, policy).list().getItems();
  }

  static int allReports() {
    return client.resources(TlsRptReport.class).inNamespace(NAMESPACE).list().getItems().size();
  }

  static MtaStsPolicy policy(String name) {
    return client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName(name).get();
  }

  static Condition awaitCondition(String policy, String type, String status) {
    return await().atMost(Duration.ofSeconds(30)).until(() -> Optional.ofNullable(policy(policy).getStatus())
            .flatMap(s -> s.getConditions().stream().filter(c -> c.getType().equals(type)).findFirst())
            .orElse(null),
        c -> c != null && c.getStatus().equals(status));
  }

  /** {@code kubectl get tlsrptreports -o wide}, the one row it prints, by column. */
  static Map<String, String> kubectlRow(String... selector) {
    List<String> args = new ArrayList<>(List.of("get", "tlsrptreports", "-n", NAMESPACE, "-o", "wide"));
    args.addAll(List.of(selector));
    Kubectl.Result result = Kubectl.run(cluster, args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.out()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).as(result.out()).hasSize(2);
    System.out.println("ReportIntakeIT kubectl get tlsrptreports -o wide:\n" + result.out());
    String header = lines.get(0);
    String row = lines.get(1);
    // Columns start where the header's names start; values may hold single spaces ("Google Inc.").
    Matcher names = Pattern.compile("\\S+").matcher(header);
    List<int[]> columns = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    while (names.find()) {
      keys.add(names.group());
      columns.add(new int[] {names.start()});
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      int from = columns.get(i)[0];
      int to = i + 1 < keys.size() ? columns.get(i + 1)[0] : row.length();
      values.put(keys.get(i), row.substring(Math.min(from, row.length()), Math.min(to, row.length())).strip());
    }
    return values;
  }

  /** Waits until the mail with this report's subject is in the folder; its flags as Dovecot has them. */
  static Flags awaitMail(String folderName, String domain, String reportId) {
    String subject = IntakeReports.subject(domain, reportId);
    try {
      return await().atMost(Duration.ofSeconds(30)).until(() -> flagsOf(folderName, subject), Optional::isPresent)
          .orElseThrow();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the mail \"" + subject + "\" never reached " + folderName + "\n" + mailbox.log(), e);
    }
  }

  static Optional<Flags> flagsOf(String folderName, String subject) throws MessagingException {
    Store store = mailbox.openClient();
    try {
      Folder folder = store.getFolder(folderName);
      if (!folder.exists()) {
        return Optional.empty();
      }
      folder.open(Folder.READ_ONLY);
      try {
        for (Message message : folder.getMessages()) {
          if (subject.equals(message.getSubject())) {
            return Optional.of(message.getFlags());
          }
        }
        return Optional.empty();
      } finally {
        folder.close(false);
      }
    } finally {
      store.close();
    }
  }

  static Map<String, String> labels(String seriesLine) {
    Map<String, String> labels = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(seriesLine.substring(0, seriesLine.indexOf('}')));
    while (m.find()) {
      labels.put(m.group(1), m.group(2));
    }
    return labels;
  }

  static byte[] gzip(byte[] bytes) {
    return gzip(bytes, (byte) 0);
  }

  /** gzip of {@code bytes}, filled with {@code fill} first unless it is 0. */
  static byte[] gzip(byte[] bytes, byte fill) {
    if (fill != 0) {
      Arrays.fill(bytes, fill);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
