package dev.mtasts.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.MxTlsCheck;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.operator.reports.ClusterReportStore;
import dev.mtasts.operator.reports.ReportMetrics;
import dev.mtasts.reports.IntakeOutcome;
import dev.mtasts.reports.ReportIntake;
import dev.mtasts.testing.LocalMta;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.SteppedClock;
import dev.mtasts.testing.TestCertificates;
import dev.mtasts.testing.TestDaemon;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.RealStackExtension;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyResult;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.TlsReport;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout gate end to end on the real stack: a policy declared {@code mode: enforce} with
 * {@code rollout: {cleanDays: 3, minOrganizations: 2}} is served in testing mode while TLS reports arrive over
 * days (the operator's clock is a {@link SteppedClock} the test moves a day at a time), through the store the
 * receivers use. A report with failed sessions starts the count again; the policy is promoted on the day the gate is
 * met and not before, and a sender reading DNS and the policy URL every 50 ms finds the new id only once the enforce
 * policy is served. The MX hosts are Debian's postfix with STARTTLS, probed by the operator as a sender would; a
 * second policy whose MX presents a certificate for another name stays in testing however clean its reports are.
 */
@ExtendWith(RealStackExtension.class)
class StagedRolloutIT {

  static final String NAMESPACE = "rollout";
  static final String DOMAIN = "gate.example.com";
  /** Its MX hosts present a certificate for another name: the operator's own probe holds its gate. */
  static final String WRONG_MX_DOMAIN = "badmx.example.com";
  static final InetSocketAddress MX = new InetSocketAddress("127.0.10.1", 25);
  static final InetSocketAddress WRONG_MX = new InetSocketAddress("127.0.10.2", 25);
  static final List<String> ORGANIZATIONS = List.of("Sender One Inc.", "Sender Two GmbH");
  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: %1$s
      spec:
        domains: [%2$s]
        mode: enforce
        mx: [mx1.%2$s, mx2.%2$s]
        maxAge: 86400
        tlsRpt:
          rua: ["mailto:tlsrpt@%2$s"]
        rollout:
          cleanDays: 3
          minOrganizations: 2
      """;
  static final String MX_PASSED = "MX TLS: every MX host offers STARTTLS with a valid certificate for its name";

  /** One line of the promotion timeline: what status said once that day's reports were read. */
  record Day(int day, Instant clock, String gate, String effectiveMode, String policyId, Duration wall) {
    @Override
    public String toString() {
      return "day %d (%s, +%ds wall): %s, id %s; RolloutGate: %s".formatted(day, clock, wall.toSeconds(),
          effectiveMode, policyId, gate);
    }
  }

  @Test
  void enforceIsServedOnTheDayTheGateIsMetAndItsIdFollowsThePolicy(RealStack stack, @TempDir Path dir)
      throws Exception {
    Instant wallStart = Instant.now();
    // postfix's own user must reach its folders below the test's.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    TestCertificates ca = new TestCertificates();
    Path caFile = ca.writeCa(dir.resolve("mx-ca.pem"));
    Path certs = Files.createDirectories(dir.resolve("mx-certs"));
    Files.setPosixFilePermissions(certs, PosixFilePermissions.fromString("rwxr-xr-x"));
    Instant now = Instant.now();
    Path[] good = ca.issue(certs, "gate", now.minusSeconds(60), now.plus(Duration.ofDays(30)),
        "mx1." + DOMAIN, "mx2." + DOMAIN);
    Path[] otherName = ca.issue(certs, "other", now.minusSeconds(60), now.plus(Duration.ofDays(30)),
        "mx.elsewhere.example.net");

    StackPolicies policies = new StackPolicies(stack, NAMESPACE);
    policies.publishMx(DOMAIN, MX.getAddress().getHostAddress());
    policies.publishMx(WRONG_MX_DOMAIN, WRONG_MX.getAddress().getHostAddress());
    // The probe's CA is the test CA; its resolver the stack's DNS, which has the MX hosts' addresses from external-dns.
    CheckSettings mxSettings = new CheckSettings(Optional.of(stack.dns()), Optional.of(caFile),
        Duration.ofSeconds(3), MX.getPort(), Duration.ofDays(14));
    SteppedClock clock = new SteppedClock();

    try (LocalMta mta = LocalMta.serve(List.of(new LocalMta.Listener(MX, Optional.of(good)),
        new LocalMta.Listener(WRONG_MX, Optional.of(otherName))), Files.createDirectories(dir.resolve("mta")))) {
      // What the operator's probe will find, once external-dns has published the hosts' addresses.
      MxTlsCheck probe = new MxTlsCheck(mxSettings);
      awaitProbe(probe, "mx1." + DOMAIN, MxTlsCheck.Verdict.VALID);
      awaitProbe(probe, "mx1." + WRONG_MX_DOMAIN, MxTlsCheck.Verdict.WRONG_NAME);

      try (RunningOperator operator = policies.startOperator(clock,
              new MtaStsOperator.MxCheck(mxSettings, Duration.ofSeconds(5)),
              // run's default interval: each day the clock moves, the last pass is stale (older than two
              // intervals) until the hosts are probed again, within seconds; that new probe's event reopens the gate.
              new MtaStsOperator.MxTlsSettings(mxSettings, Duration.ofHours(1), 2),
              new MtaStsOperator.Reports(Duration.ofDays(30)));
          ClusterReportStore reports = ClusterReportStore.start(stack.client(), Set.of(NAMESPACE), clock,
              new ReportMetrics(new SimpleMeterRegistry()))) {
        policies.apply(POLICY.formatted("gate", DOMAIN));
        policies.apply(POLICY.formatted("badmx", WRONG_MX_DOMAIN));

        // Served in testing mode, the gate waiting for reports.
        MtaStsPolicy testing = awaitGate(policies, "gate", "False",
            m -> m.equals("0 of 3 clean days (no TLS-RPT report yet); 0 of 2 organizations; " + MX_PASSED));
        testing = policies.awaitReady(testing, Duration.ofMinutes(3));
        assertThat(testing.getStatus().getEffectiveMode()).isEqualTo("testing");
        assertThat(testing.getStatus().getRollout().getGateMet()).isFalse();
        String testingId = testing.getStatus().getPolicyId();
        String testingHash = testing.getStatus().getPolicyHash();
        policies.awaitSenderSees(DOMAIN, testingId, testingHash, Duration.ofMinutes(1));
        assertThat(stack.senderView(DOMAIN).policy()).contains("mode: testing").doesNotContain("mode: enforce");
        MtaStsPolicy wrongMx = policies.awaitReady(awaitGate(policies, "badmx", "False",
            m -> m.startsWith("0 of 3 clean days (no TLS-RPT report yet); 0 of 2 organizations; MX TLS: mx1."
                + WRONG_MX_DOMAIN + ": the STARTTLS certificate names [mx.elsewhere.example.net]")),
            Duration.ofMinutes(3));
        String wrongMxId = wrongMx.getStatus().getPolicyId();
        String wrongMxHash = wrongMx.getStatus().getPolicyHash();
        policies.awaitSenderSees(WRONG_MX_DOMAIN, wrongMxId, wrongMxHash, Duration.ofMinutes(1));
        assertThat(stack.senderView(WRONG_MX_DOMAIN).policy()).contains("mode: testing");

        List<Day> timeline = new ArrayList<>();
        timeline.add(day(0, clock.instant(), testing, wallStart));
        System.out.println("StagedRolloutIT " + timeline.get(0));
        List<SenderView.Sample> samples;
        Instant promotionDayReports;
        Instant promotionDay;
        MtaStsPolicy promoted;
        try (SenderView.Recording recording = stack.senderView(DOMAIN).every(Duration.ofMillis(50))) {
          // Days 1 and 2 clean; on day 3 one sender reports failed sessions, so the count starts again; days 4
          // to 6 clean. Each day's reports cover the day just passed.
          String[] expected = {
              null,
              "1 of 3 clean days; 2 of 2 organizations; ",
              "2 of 3 clean days; 2 of 2 organizations; ",
              "0 of 3 clean days (the latest report, ending ",
              "1 of 3 clean days; 2 of 2 organizations; ",
              "2 of 3 clean days; 2 of 2 organizations; "};
          for (int day = 1; day <= 5; day++) {
            Instant today = clock.advance(Duration.ofDays(1));
            if (day == 3) {
              // The failing report first: the other sender's clean one of that day must not complete a streak.
              store(reports, report(ORGANIZATIONS.get(1), DOMAIN, day, today, 3));
              store(reports, report(ORGANIZATIONS.get(0), DOMAIN, day, clock.instant(), 0));
            } else {
              for (String organization : ORGANIZATIONS) {
                store(reports, report(organization, DOMAIN, day, clock.instant(), 0));
              }
            }
            for (String organization : ORGANIZATIONS) {
              store(reports, report(organization, WRONG_MX_DOMAIN, day, clock.instant(), 0));
            }
            String want = expected[day];
            // Once the hosts are probed again after the step: until then the gate also says the probes are stale.
            MtaStsPolicy seen = awaitGate(policies, "gate", "False", m -> m.startsWith(want) && m.endsWith(MX_PASSED));
            if (day == 3) {
              assertThat(seen.getStatus().getRollout().getMessage())
                  .endsWith("failed above 0); 0 of 2 organizations; " + MX_PASSED);
            }
            assertThat(seen.getStatus().getEffectiveMode()).as("day %d", day).isEqualTo("testing");
            assertThat(seen.getStatus().getPolicyId()).as("day %d", day).isEqualTo(testingId);
            timeline.add(day(day, today, seen, wallStart));
            System.out.println("StagedRolloutIT " + timeline.get(timeline.size() - 1));
          }

          // Day 6: time alone does not meet the gate; the hosts are probed again within 5 s of the step, and the
          // policy stays in testing over that round.
          Instant today = clock.advance(Duration.ofDays(1));
          promotionDay = today;
          await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12)).until(() -> {
            MtaStsPolicy policy = policies.get("gate");
            return "testing".equals(policy.getStatus().getEffectiveMode())
                && testingId.equals(policy.getStatus().getPolicyId())
                && policy.getStatus().getRollout().getMessage().startsWith("2 of 3 clean days");
          });
          // The first clean report of the day makes three clean days from two organizations.
          promotionDayReports = Instant.now();
          for (String organization : ORGANIZATIONS) {
            store(reports, report(organization, DOMAIN, 6, clock.instant(), 0));
            store(reports, report(organization, WRONG_MX_DOMAIN, 6, clock.instant(), 0));
          }
          promoted = awaitGate(policies, "gate", "True",
              m -> m.equals("3 of 3 clean days; 2 of 2 organizations; " + MX_PASSED));
          promoted = policies.awaitReady(policies.awaitNewId("gate", testingId, Duration.ofMinutes(1)),
              Duration.ofMinutes(3));
          timeline.add(day(6, today, promoted, wallStart));
          System.out.println("StagedRolloutIT " + timeline.get(timeline.size() - 1));
          policies.awaitSenderSees(DOMAIN, promoted.getStatus().getPolicyId(), promoted.getStatus().getPolicyHash(),
              Duration.ofMinutes(1));
          samples = recording.samples();
        }

        String enforceId = promoted.getStatus().getPolicyId();
        String enforceHash = promoted.getStatus().getPolicyHash();
        assertThat(promoted.getStatus().getEffectiveMode()).isEqualTo("enforce");
        assertThat(promoted.getStatus().getRollout().getGateMet()).isTrue();
        // On the operator's clock, the promotion day.
        assertThat(Instant.parse(promoted.getStatus().getRollout().getPromotedAt()))
            .isAfterOrEqualTo(promotionDay)
            .isBeforeOrEqualTo(clock.instant());
        assertThat(gate(promoted).getReason()).isEqualTo("GateMet");
        assertThat(enforceId).isNotEqualTo(testingId);
        assertThat(enforceHash).isNotEqualTo(testingHash);
        assertThat(stack.senderView(DOMAIN).policy()).contains("mode: enforce");
        Event event = awaitEvent(policies, stack, "gate", "RolloutPromoted");
        assertThat(event.getMessage()).contains("3 of 3 clean days; 2 of 2 organizations");

        // What the sender saw, every 50 ms from day 1 to the new id: testing until the promotion day's reports,
        // then the enforce policy at the URL before its id in DNS.
        assertThat(samples).as("samples taken").hasSizeGreaterThan(20);
        assertThat(samples.get(0).at()).isBefore(promotionDayReports);
        assertThat(samples.stream().filter(s -> s.at().isBefore(promotionDayReports)))
            .as("samples before the promotion day's reports").isNotEmpty()
            .allMatch(s -> s.id().equals(Optional.of(testingId)), "name the testing id")
            .noneMatch(s -> s.policyHash().filter(enforceHash::equals).isPresent());
        assertThat(samples).as("samples fetching anything but the testing or the enforce policy")
            .allMatch(s -> s.policyHash().map(h -> h.equals(testingHash) || h.equals(enforceHash)).orElse(false));
        assertThat(SenderView.aheadOfTheirPolicy(samples, List.of(testingId, enforceId),
            List.of(testingHash, enforceHash))).as("samples naming the new id while the URL serves testing").isEmpty();
        assertThat(SenderView.idsInOrder(samples)).containsExactly(testingId, enforceId);
        assertThat(SenderView.idChanges(samples)).as("changes of the id in DNS").isEqualTo(1);
        Instant enforceServed = samples.stream().filter(s -> s.policyHash().filter(enforceHash::equals).isPresent())
            .map(SenderView.Sample::at).findFirst().orElseThrow();
        Instant newIdInDns = samples.stream().filter(s -> s.id().filter(enforceId::equals).isPresent())
            .map(SenderView.Sample::at).findFirst().orElseThrow();
        assertThat(enforceServed).isBefore(newIdInDns);

        // Clean reports for six days, but its MX fails the operator's probe: still testing, same id.
        MtaStsPolicy stillTesting = awaitGate(policies, "badmx", "False", m -> m.startsWith(
            "3 of 3 clean days; 2 of 2 organizations; MX TLS: mx1." + WRONG_MX_DOMAIN
                + ": the STARTTLS certificate names [mx.elsewhere.example.net], not mx1." + WRONG_MX_DOMAIN));
        assertThat(stillTesting.getStatus().getEffectiveMode()).isEqualTo("testing");
        assertThat(stillTesting.getStatus().getPolicyId()).isEqualTo(wrongMxId);
        assertThat(stack.senderView(WRONG_MX_DOMAIN).sample().policyHash()).contains(wrongMxHash);
        assertThat(stack.senderView(WRONG_MX_DOMAIN).dnsId()).contains(wrongMxId);

        System.out.println("StagedRolloutIT " + DOMAIN + ": enforce policy first served at " + enforceServed
            + ", id " + enforceId + " first in DNS at " + newIdInDns + " ("
            + Duration.between(enforceServed, newIdInDns).toMillis() + " ms later), "
            + Duration.between(promotionDayReports, newIdInDns).toMillis() + " ms after the promotion day's reports; "
            + samples.size() + " sender samples");
        System.out.println("StagedRolloutIT " + WRONG_MX_DOMAIN + ": " + gate(stillTesting).getMessage());
        System.out.println("StagedRolloutIT wall time " + Duration.between(wallStart, Instant.now()).toSeconds()
            + " s (stack started before)");
      }
    }
  }

  /**
   * One sender organization's report on the day that ended at {@code end}: 1000 sessions to the domain's MX hosts,
   * of which {@code failed} met a certificate for another name at mx2.
   */
  static TlsReport report(String organization, String domain, int day, Instant end, long failed) {
    List<FailureDetail> details = failed == 0 ? List.of() : List.of(new FailureDetail("certificate-host-mismatch",
        Optional.of("192.0.2.25"), Optional.of("mx2." + domain), Optional.empty(), Optional.of("127.0.10.1"),
        failed, Optional.empty(), Optional.empty()));
    PolicyResult result = new PolicyResult(PolicyType.STS, List.of("version: STSv1", "mode: testing",
        "mx: mx1." + domain, "mx: mx2." + domain, "max_age: 86400"), domain,
        List.of("mx1." + domain, "mx2." + domain), 1000 - failed, failed, details);
    return new TlsReport(organization, end.minus(Duration.ofDays(1)), end, Optional.of("mailto:tlsrpt@example.net"),
        organization.replaceAll("\\W", "").toLowerCase() + "-" + domain + "-day-" + day, List.of(result));
  }

  static void store(ClusterReportStore reports, TlsReport report) {
    IntakeOutcome outcome = reports.store(report, ReportIntake.Channel.MAIL, Optional.empty());
    assertThat(outcome.kind()).as(outcome.message()).isEqualTo(IntakeOutcome.Kind.STORED);
  }

  static Day day(int day, Instant clock, MtaStsPolicy policy, Instant wallStart) {
    return new Day(day, clock, policy.getStatus().getRollout().getMessage(), policy.getStatus().getEffectiveMode(),
        policy.getStatus().getPolicyId(), Duration.between(wallStart, Instant.now()));
  }

  static Condition gate(MtaStsPolicy policy) {
    return StackPolicies.condition(policy, "RolloutGate").orElseThrow();
  }

  /**
   * Waits until the policy's RolloutGate condition has the status and the gate's message (status.rollout.message,
   * which the condition's message ends with) passes.
   */
  static MtaStsPolicy awaitGate(StackPolicies policies, String name, String status, Predicate<String> message) {
    AtomicReference<MtaStsPolicy> last = new AtomicReference<>();
    TestDaemon.waitUntil(Duration.ofMinutes(2), () -> {
      last.set(policies.get(name));
      return last.get().getStatus() != null && last.get().getStatus().getRollout() != null
          && message.test(last.get().getStatus().getRollout().getMessage())
          && StackPolicies.condition(last.get(), "RolloutGate").filter(c -> status.equals(c.getStatus())
              && c.getMessage().endsWith(last.get().getStatus().getRollout().getMessage())).isPresent();
    }, () -> name + ": RolloutGate is not " + status + " with the expected message; last "
        + Optional.ofNullable(last.get()).flatMap(p -> StackPolicies.condition(p, "RolloutGate"))
            .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).orElse("none"));
    return last.get();
  }

  static void awaitProbe(MxTlsCheck probe, String host, MxTlsCheck.Verdict verdict) {
    AtomicReference<MxTlsCheck.Result> last = new AtomicReference<>();
    TestDaemon.waitUntil(Duration.ofMinutes(2), () -> {
      last.set(probe.probe(host));
      return last.get().verdict() == verdict;
    }, () -> host + " is not " + verdict + " to the probe; last " + last.get());
  }

  static Event awaitEvent(StackPolicies policies, RealStack stack, String name, String reason) {
    AtomicReference<Event> found = new AtomicReference<>();
    TestDaemon.waitUntil(Duration.ofSeconds(30), () -> {
      stack.client().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
          .filter(e -> reason.equals(e.getReason()) && name.equals(e.getInvolvedObject().getName()))
          .findFirst().ifPresent(found::set);
      return found.get() != null;
    }, () -> "no " + reason + " Event for " + NAMESPACE + "/" + name);
    return found.get();
  }
}
