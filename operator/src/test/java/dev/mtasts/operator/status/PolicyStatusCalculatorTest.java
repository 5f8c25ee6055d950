package dev.mtasts.operator.status;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.DNSEndpointStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.desired.OperatorSettings;
import dev.mtasts.desired.PolicyContent;
import dev.mtasts.desired.PolicyDnsEndpoint;
import dev.mtasts.desired.PublishedPolicy;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyStatusCalculatorTest {

  static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");
  static final MtaStsPolicy POLICY = enforce("example.com");
  static final PublishedPolicy PUBLISHED =
      new PublishedPolicy(PolicyContent.of(POLICY), "2026112307000000", List.of("example.com"));
  static final RolloutProgress.State ROLLED_OUT = new RolloutProgress.State(true, false, "rolled out");

  /** Everything done: rolled out, certificate Ready, records current and read by external-dns. */
  static Observations allDone() {
    DNSEndpoint records = PolicyDnsEndpoint.desired(POLICY, OperatorSettings.defaults(), PUBLISHED);
    records.getMetadata().setGeneration(1L);
    DNSEndpointStatus read = new DNSEndpointStatus();
    read.setObservedGeneration(1L);
    records.setStatus(read);
    return new Observations(3, List.of(), Optional.of(PUBLISHED), List.of(), List.of(), ROLLED_OUT,
        Optional.empty(), Optional.of(certificate("True")), Optional.of(records), Observations.MxObservation.OFF, NOW);
  }

  static Certificate certificate(String ready) {
    return new CertificateBuilder().withNewMetadata().withName("c").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason("Issuing")
        .withMessage("issuing").endCondition().endStatus().build();
  }

  static Observations with(UnaryOperator<Observations> change) {
    return change.apply(allDone());
  }

  static Stream<Arguments> readyChain() {
    return Stream.of(
        Arguments.of("everything done is Ready", allDone(), "True", "Published"),
        Arguments.of("an invalid spec says so first", with(o -> new Observations(o.generation(),
            List.of("spec.mx[0]: bad"), Optional.empty(), o.conflicts(), o.applyErrors(), o.rollout(), o.served(), o.certificate(),
            o.dnsEndpoint(), o.mx(), o.now())), "False", "InvalidSpec"),
        Arguments.of("a conflict comes before the rollout", with(o -> new Observations(o.generation(), o.invalid(),
            o.published(), List.of(new Observations.DomainConflict("example.com", "mail/first")), o.applyErrors(),
            RolloutProgress.State.waiting("w"), o.served(), o.certificate(), o.dnsEndpoint(), o.mx(), o.now())),
            "False", "DomainConflict"),
        Arguments.of("an object the API server refused is named", with(o -> new Observations(o.generation(),
            o.invalid(), o.published(), o.conflicts(), List.of("cannot apply the Service: no IP left"), o.rollout(),
            o.served(), o.certificate(), o.dnsEndpoint(), o.mx(), o.now())), "False", "ApplyFailed"),
        Arguments.of("a rollout in progress holds Ready", with(o -> new Observations(o.generation(), o.invalid(),
            o.published(), o.conflicts(), o.applyErrors(), RolloutProgress.State.waiting("waiting for rollout"), o.served(),
            o.certificate(), o.dnsEndpoint(), o.mx(), o.now())), "False", "RolloutInProgress"),
        Arguments.of("a stalled rollout is named", with(o -> new Observations(o.generation(), o.invalid(),
            o.published(), o.conflicts(), o.applyErrors(), new RolloutProgress.State(false, true, "exceeded"), o.served(),
            o.certificate(), o.dnsEndpoint(), o.mx(), o.now())), "False", "RolloutStalled"),
        Arguments.of("a Service serving another policy is PolicyNotServed", with(o -> new Observations(
            o.generation(), o.invalid(), o.published(), o.conflicts(), o.applyErrors(), o.rollout(),
            Optional.of(new ServedPolicyCheck.Result(ServedPolicyCheck.Outcome.WRONG_POLICY, "old policy")),
            o.certificate(), o.dnsEndpoint(), o.mx(), o.now())), "False", "PolicyNotServed"),
        Arguments.of("an unreachable Service leaves the decision to the rollout", with(o -> new Observations(
            o.generation(), o.invalid(), o.published(), o.conflicts(), o.applyErrors(), o.rollout(),
            Optional.of(new ServedPolicyCheck.Result(ServedPolicyCheck.Outcome.UNREACHABLE, "no route")),
            o.certificate(), o.dnsEndpoint(), o.mx(), o.now())), "True", "Published"),
        Arguments.of("a certificate not Ready holds Ready", with(o -> new Observations(o.generation(), o.invalid(),
            o.published(), o.conflicts(), o.applyErrors(), o.rollout(), o.served(), Optional.of(certificate("False")),
            o.dnsEndpoint(), o.mx(), o.now())), "False", "CertificateNotReady"),
        Arguments.of("records not yet written wait for the policy", with(o -> new Observations(o.generation(),
            o.invalid(), o.published(), o.conflicts(), o.applyErrors(), o.rollout(), o.served(), o.certificate(), Optional.empty(),
            o.mx(), o.now())), "False", "WaitingForPolicy"),
        Arguments.of("records not yet read by external-dns", with(o -> {
          o.dnsEndpoint().get().getStatus().setObservedGeneration(0L);
          return o;
        }), "False", "WaitingForExternalDns"));
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
    Observations o = allDone();
    return new Observations(o.generation(), o.invalid(), o.published(), o.conflicts(), o.applyErrors(), o.rollout(),
        o.served(), o.certificate(), o.dnsEndpoint(),
        new Observations.MxObservation(true, Optional.of(new MxRecords(hosts, failures))), o.now());
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
    Observations later = new Observations(4, List.of(), Optional.of(PUBLISHED), List.of(), List.of(), ROLLED_OUT,
        Optional.empty(), allDone().certificate(), allDone().dnsEndpoint(), Observations.MxObservation.OFF, NOW.plusSeconds(60));

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
    assertThat(status.getPolicyHash()).isEqualTo(PUBLISHED.content().hash());
  }

  @Test
  void anInvalidSpecKeepsReportingWhatIsPublished() {
    MtaStsPolicyStatus previous = PolicyStatusCalculator.compute(allDone(), null);
    Observations invalid = new Observations(4, List.of("spec.mx[0]: bad"), Optional.empty(), List.of(), List.of(),
        ROLLED_OUT, Optional.empty(), Optional.empty(), Optional.empty(), Observations.MxObservation.OFF, NOW);

    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(invalid, previous);

    assertThat(status.getPolicyId()).isEqualTo(previous.getPolicyId());
    assertThat(status.getDomains()).isEqualTo(previous.getDomains());
  }
}
