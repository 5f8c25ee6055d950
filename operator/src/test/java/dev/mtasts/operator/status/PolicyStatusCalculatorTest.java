package dev.mtasts.operator.status;

import static dev.mtasts.testing.TestObservations.certificate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.testing.TestObservations;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyStatusCalculatorTest {

  static Observations allDone() {
    return TestObservations.allDone().build();
  }

  static Observations with(Consumer<TestObservations> change) {
    TestObservations seen = TestObservations.allDone();
    change.accept(seen);
    return seen.build();
  }

  static Stream<Arguments> readyChain() {
    return Stream.of(
        Arguments.of("everything done is Ready", allDone(), "True", "Published"),
        Arguments.of("an invalid spec says so first", with(o -> o.errors = List.of("spec.mx[0]: bad")),
            "False", "InvalidSpec"),
        Arguments.of("a conflict comes before the rollout", with(o -> {
          o.conflicts = List.of(new DomainConflict("example.com", "mail/first"));
          o.rollout = RolloutProgress.State.waiting("w");
        }), "False", "DomainConflict"),
        Arguments.of("an object the API server refused is named",
            with(o -> o.applyErrors = List.of("cannot apply the Service: no IP left")), "False", "ApplyFailed"),
        Arguments.of("a rollout in progress holds Ready",
            with(o -> o.rollout = RolloutProgress.State.waiting("waiting for rollout")), "False",
            "RolloutInProgress"),
        Arguments.of("a stalled rollout is named",
            with(o -> o.rollout = new RolloutProgress.State(false, true, "exceeded")), "False", "RolloutStalled"),
        Arguments.of("a Service serving another policy is PolicyNotServed", with(o -> o.served =
            Optional.of(new ServedPolicy(ServedPolicy.Outcome.WRONG_POLICY, "old policy"))), "False",
            "PolicyNotServed"),
        Arguments.of("an unreachable Service leaves the decision to the rollout", with(o -> o.served =
            Optional.of(new ServedPolicy(ServedPolicy.Outcome.UNREACHABLE, "no route"))), "True", "Published"),
        Arguments.of("a certificate not Ready holds Ready",
            with(o -> o.certificate = Optional.of(certificate("False"))), "False", "CertificateNotReady"),
        Arguments.of("records not yet written wait for the policy", with(o -> o.recordsWritten = false),
            "False", "WaitingForPolicy"),
        Arguments.of("records not yet read by external-dns",
            with(o -> o.recordsReadByExternalDns = Optional.of(0L)), "False", "WaitingForExternalDns"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readyChain")
  void readyIsTheFirstUnmetStep(String description, Observations seen, String status, String reason) {
    Condition ready = ConditionList.find(PolicyStatusCalculator.compute(seen, null).getConditions(), "Ready")
        .orElseThrow();

    assertThat(ready.getStatus()).isEqualTo(status);
    assertThat(ready.getReason()).isEqualTo(reason);
    assertThat(ready.getMessage()).isNotBlank();
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
  }

  static Observations withMx(Map<String, List<String>> hosts, Map<String, String> failures) {
    return with(o -> o.mx = MxObservation.of(new MxRecords(hosts, failures)));
  }

  static Stream<Arguments> mxCoverage() {
    return Stream.of(
        Arguments.of("every MX covered", withMx(Map.of("example.com", List.of("mx1.example.com")), Map.of()),
            "True", "MxCovered", "True"),
        Arguments.of("an uncovered MX in enforce mode holds Ready",
            withMx(Map.of("example.com", List.of("mx1.example.com", "backup.example.net")), Map.of()),
            "False", "MxNotCovered", "False"),
        Arguments.of("a failed lookup leaves coverage unknown and Ready alone",
            withMx(Map.of(), Map.of("example.com", "timed out")), "Unknown", "MxLookupFailed", "True"),
        Arguments.of("with the check off, coverage is unknown", allDone(), "Unknown", "MxCheckDisabled", "True"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mxCoverage")
  void mxCoveredReportsHostsThePatternsMiss(String description, Observations seen, String status, String reason,
      String ready) {
    MtaStsPolicyStatus computed = PolicyStatusCalculator.compute(seen, null);
    Condition covered = ConditionList.find(computed.getConditions(), "MxCovered").orElseThrow();

    assertThat(covered.getStatus()).isEqualTo(status);
    assertThat(covered.getReason()).isEqualTo(reason);
    assertThat(ConditionList.find(computed.getConditions(), "Ready").orElseThrow().getStatus()).isEqualTo(ready);
    if ("False".equals(status)) {
      assertThat(covered.getMessage()).startsWith("backup.example.net (MX of example.com) matches none");
    }
  }

  @Test
  void everyConditionIsSetOnTheFirstVisit() {
    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(allDone(), null);

    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactly("PolicyServed", "CertificateReady", "DnsPublished", "MxCovered", "Ready");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
    MtaStsPolicyStatus first = PolicyStatusCalculator.compute(allDone(), null);
    Observations later = with(o -> {
      o.generation = 4;
      o.now = TestObservations.NOW.plusSeconds(60);
    });

    MtaStsPolicyStatus second = PolicyStatusCalculator.compute(later, first);

    Condition before = ConditionList.find(first.getConditions(), "Ready").orElseThrow();
    Condition after = ConditionList.find(second.getConditions(), "Ready").orElseThrow();
    assertThat(after.getLastTransitionTime()).isEqualTo(before.getLastTransitionTime());
    assertThat(after.getObservedGeneration()).isEqualTo(4L);
  }

  @Test
  void domainsReportTheRecordsActuallyInTheDnsEndpoint() {
    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(allDone(), null);

    assertThat(status.getDomains()).singleElement().satisfies(d -> {
      assertThat(d.getName()).isEqualTo("example.com");
      assertThat(d.getPolicyUrl()).isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
      assertThat(d.getStsRecord()).isEqualTo("v=STSv1; id=2026112307000000");
    });
    assertThat(status.getPolicyHash()).isEqualTo(TestObservations.allDone().published().content().hash());
  }

  @Test
  void anInvalidSpecKeepsReportingWhatIsPublished() {
    MtaStsPolicyStatus previous = PolicyStatusCalculator.compute(allDone(), null);
    Observations invalid = with(o -> {
      o.generation = 4;
      o.errors = List.of("spec.mx[0]: bad");
      o.certificate = Optional.empty();
      o.recordsWritten = false;
    });

    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(invalid, previous);

    assertThat(status.getPolicyId()).isEqualTo(previous.getPolicyId());
    assertThat(status.getDomains()).isEqualTo(previous.getDomains());
  }
}
