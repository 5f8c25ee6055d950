package dev.mtasts.operator.status;

import static dev.mtasts.testing.TestObservations.certificate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.Endpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.PolicyMode;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.testing.TestObservations;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import dev.mtasts.check.PublishedRecordsLookup.ServerAnswer;
import dev.mtasts.check.PublishedRecordsLookup.DomainAnswer;
import dev.mtasts.api.v1alpha1.DomainStatus;
import java.time.Instant;
import java.time.Duration;
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

  static final String ID = TestObservations.POLICY_ID;
  static final String NS = TestObservations.NAME_SERVER;
  /** What senders make of "v=STSv1" alone (external-dns's rfc2136 cut): the message a user reads. */
  static final String NO_ID = dev.mtasts.rfc.StsRecord.parseAll(List.of("v=STSv1")).errors().get(0).message();
  static final String RECORDS_BEING_APPLIED = "policy id " + ID
      + " is published once senders can fetch the policy; it is served and certified, so the records are being"
      + " applied";

  static Stream<Arguments> readyChain() {
    return Stream.of(
        Arguments.of("everything done is Ready", allDone(), "True", "Published",
            "policy id " + ID + " is served and published for example.com"),
        Arguments.of("Ready names every domain published", with(o -> {
          o.policy = TestPolicies.enforce("example.com", "example.net");
          o.domains = List.of("example.com", "example.net");
        }), "True", "Published", "policy id " + ID + " is served and published for example.com, example.net"),
        Arguments.of("an invalid spec says so first, with every problem",
            with(o -> o.errors = List.of("spec.mx[0]: bad", "spec.maxAge: -1 is below 0")), "False", "InvalidSpec",
            "spec.mx[0]: bad; spec.maxAge: -1 is below 0"),
        Arguments.of("a conflict comes before the rollout", with(o -> {
          o.conflicts = List.of(new DomainConflict("example.org", "mail/first"),
              new DomainConflict("example.net", "mail/second"));
          o.rollout = RolloutProgress.State.waiting("w");
        }), "False", "DomainConflict", "example.org is claimed by the older MtaStsPolicy mail/first; example.net is"
            + " claimed by the older MtaStsPolicy mail/second; nothing is published for it here"),
        Arguments.of("an object the API server refused is named",
            with(o -> o.applyErrors = List.of("cannot apply the Service: no IP left", "cannot apply the Ingress")),
            "False", "ApplyFailed", "cannot apply the Service: no IP left; cannot apply the Ingress"),
        Arguments.of("a rollout in progress holds Ready",
            with(o -> o.rollout = RolloutProgress.State.waiting("waiting for rollout")), "False",
            "RolloutInProgress", "waiting for rollout"),
        Arguments.of("a stalled rollout is named",
            with(o -> o.rollout = new RolloutProgress.State(false, true, "exceeded")), "False", "RolloutStalled",
            "exceeded"),
        Arguments.of("a Service serving another policy is PolicyNotServed", with(o -> o.served =
            Optional.of(new ServedPolicy(ServedPolicy.Outcome.WRONG_POLICY, "old policy"))), "False",
            "PolicyNotServed", "old policy"),
        Arguments.of("an unreachable Service leaves the decision to the rollout", with(o -> o.served =
            Optional.of(new ServedPolicy(ServedPolicy.Outcome.UNREACHABLE, "no route"))), "True", "Published",
            "policy id " + ID + " is served and published for example.com"),
        Arguments.of("a certificate not Ready holds Ready",
            with(o -> o.certificate = Optional.of(certificate("False"))), "False", "CertificateNotReady",
            "the certificate is not Ready: Issuing: issuing"),
        Arguments.of("records not yet written wait for the policy", with(o -> o.recordsWritten = false),
            "False", "WaitingForPolicy", RECORDS_BEING_APPLIED),
        Arguments.of("records not yet read by external-dns", with(o -> {
          o.recordsReadByExternalDns = Optional.of(0L);
          o.dns = p -> TestObservations.answering(p, null, null);
        }), "False", "WaitingForExternalDns",
            "DNSEndpoint example-com-txt carries policy id " + ID + "; waiting for external-dns to read it;"
                + " _mta-sts.example.com answers no TXT record at " + NS + "; want id=" + ID),
        Arguments.of("records read by external-dns but not answered by DNS", with(o ->
            o.dns = p -> TestObservations.answering(p, "v=STSv1", null)), "False", "WaitingForDns",
            "_mta-sts.example.com answers \"v=STSv1\" (" + NO_ID + ") at " + NS + "; want id=" + ID),
        Arguments.of("an uncovered MX in testing mode does not hold Ready", with(o -> {
          o.policy = TestPolicies.testing("example.com");
          o.mx = MxObservation.of(new MxRecords(Map.of("example.com", List.of("backup.example.net")), Map.of()));
        }), "True", "Published", "policy id " + ID + " is served and published for example.com"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("readyChain")
  void readyIsTheFirstUnmetStep(String description, Observations seen, String status, String reason,
      String message) {
    Condition ready = ConditionList.find(PolicyStatusCalculator.compute(seen, null).getConditions(), "Ready")
        .orElseThrow();

    assertThat(ready.getStatus()).isEqualTo(status);
    assertThat(ready.getReason()).isEqualTo(reason);
    assertThat(ready.getMessage()).isEqualTo(message);
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
  }

  /** A Certificate with one True condition of the given type, or with no status at all. */
  static Certificate certificateWith(String condition) {
    CertificateBuilder certificate = new CertificateBuilder().withNewMetadata().withName("c").endMetadata();
    return condition == null ? certificate.build()
        : certificate.withNewStatus().addNewCondition().withType(condition).withStatus("True").endCondition()
            .endStatus().build();
  }

  /** Replaces the targets of the DNSEndpoint's entry with the given name. */
  static Consumer<DNSEndpoint> records(String dnsName, List<String> targets) {
    return records -> records.getSpec().getEndpoints().stream().filter(e -> e.getDnsName().equals(dnsName))
        .forEach(e -> e.setTargets(targets));
  }

  static Stream<Arguments> conditions() {
    String olderRecord = "v=STSv1; id=2026010100000000";
    return Stream.of(
        Arguments.of("a rolled-out policy server is PolicyServed", allDone(),
            "PolicyServed", "True", "PolicyServed", "rolled out"),
        Arguments.of("a policy fetched through the Service is named after the rollout", with(o -> o.served =
            Optional.of(new ServedPolicy(ServedPolicy.Outcome.SERVED, "the Service serves the current policy"))),
            "PolicyServed", "True", "PolicyServed", "rolled out; the Service serves the current policy"),
        Arguments.of("an invalid spec leaves the last valid policy served",
            with(o -> o.errors = List.of("spec.mx[0]: bad")),
            "PolicyServed", "Unknown", "InvalidSpec", "the spec is invalid; the last valid policy stays served"),
        Arguments.of("a Ready certificate is CertificateReady", allDone(),
            "CertificateReady", "True", "CertificateIssued", "cert-manager reports the certificate Ready"),
        Arguments.of("a certificate not yet created says so", with(o -> o.certificate = Optional.empty()),
            "CertificateReady", "False", "CertificateNotReady", "the certificate is not Ready: not created yet"),
        Arguments.of("a certificate cert-manager has not reported on says so",
            with(o -> o.certificate = Optional.of(certificateWith(null))),
            "CertificateReady", "False", "CertificateNotReady",
            "the certificate is not Ready: cert-manager has not reported on it yet"),
        Arguments.of("a certificate that is only Issuing is not Ready",
            with(o -> o.certificate = Optional.of(certificateWith("Issuing"))),
            "CertificateReady", "False", "CertificateNotReady",
            "the certificate is not Ready: cert-manager has not reported on it yet"),
        Arguments.of("records DNS answers are DnsPublished", allDone(),
            "DnsPublished", "True", "DnsAnswers", "DNS answers policy id " + ID + " for example.com"),
        Arguments.of("with the DNS check off, records read by external-dns are DnsPublished", with(o ->
            o.dnsChecked = false), "DnsPublished", "True", "AcceptedByExternalDns",
            "external-dns has read the records with policy id " + ID
                + "; DNS itself is not checked (--dns-check-interval=PT0S)"),
        Arguments.of("with the DNS check off, records not read by external-dns wait for it", with(o -> {
          o.dnsChecked = false;
          o.recordsReadByExternalDns = Optional.empty();
        }), "DnsPublished", "False", "WaitingForExternalDns",
            "DNSEndpoint example-com-txt carries policy id " + ID + "; waiting for external-dns to read it"),
        Arguments.of("records DNS answers are published though external-dns has not reported reading them",
            with(o -> o.recordsReadByExternalDns = Optional.empty()),
            "DnsPublished", "True", "DnsAnswers", "DNS answers policy id " + ID + " for example.com"),
        Arguments.of("quoted targets (--dns-txt-encoding=quoted) carry the record they stand for", with(o ->
            o.editRecords = records("_mta-sts.example.com", List.of("\"v=STSv1; id=" + ID + "\""))),
            "DnsPublished", "True", "DnsAnswers", "DNS answers policy id " + ID + " for example.com"),
        Arguments.of("DNS not looked up yet", with(o -> o.dns = p -> Optional.empty()),
            "DnsPublished", "False", "WaitingForDns", "DNS has not been looked up yet"),
        Arguments.of("DNS answering the old id", with(o -> o.dns = p -> TestObservations.answering(p,
            olderRecord, null)), "DnsPublished", "False", "WaitingForDns",
            "_mta-sts.example.com answers \"" + olderRecord + "\" at " + NS + "; want id=" + ID),
        Arguments.of("DNS answering the old and the new id", with(o -> o.dns = p -> Optional.of(new DnsAnswers(Map.of(
            "example.com", new DomainAnswer("example.com", List.of(new ServerAnswer(NS,
                List.of(olderRecord, p.stsRecord()), List.of(), Optional.empty())), Optional.empty()))))),
            "DnsPublished", "False", "WaitingForDns", "_mta-sts.example.com answers \"" + olderRecord + "\", \""
                + "v=STSv1; id=" + ID + "\" (2 TXT records begin with \"v=STSv1;\" (records 1, 2); senders assume"
                + " the domain has no MTA-STS policy) at " + NS + "; want id=" + ID),
        Arguments.of("one of two servers behind", with(o -> o.dns = p -> Optional.of(new DnsAnswers(Map.of(
            "example.com", new DomainAnswer("example.com", List.of(
                new ServerAnswer(NS, List.of(p.stsRecord()), List.of(), Optional.empty()),
                new ServerAnswer("ns2.example.org (192.0.2.54)", List.of(olderRecord), List.of(), Optional.empty())),
                Optional.empty()))))),
            "DnsPublished", "False", "WaitingForDns", "_mta-sts.example.com answers \"" + olderRecord
                + "\" at ns2.example.org (192.0.2.54); want id=" + ID),
        Arguments.of("a server that does not answer", with(o -> o.dns = p -> Optional.of(new DnsAnswers(Map.of(
            "example.com", new DomainAnswer("example.com", List.of(new ServerAnswer(NS, List.of(), List.of(),
                Optional.of("_mta-sts.example.com: timed out"))), Optional.empty()))))),
            "DnsPublished", "False", "WaitingForDns", NS + " did not answer: _mta-sts.example.com: timed out"),
        Arguments.of("a domain no server was asked for", with(o -> o.dns = p -> Optional.of(new DnsAnswers(Map.of(
            "example.com", new DomainAnswer("example.com", List.of(), Optional.empty()))))),
            "DnsPublished", "False", "WaitingForDns", "example.com: no server to ask"),
        Arguments.of("a domain without NS records", with(o -> o.dns = p -> Optional.of(new DnsAnswers(Map.of(
            "example.com", new DomainAnswer("example.com", List.of(),
                Optional.of("no NS records for example.com or a parent zone")))))),
            "DnsPublished", "False", "WaitingForDns", "example.com: no NS records for example.com or a parent zone"),
        Arguments.of("a published TLS-RPT record DNS lacks", with(o -> {
          o.policy.getSpec().setTlsRpt(TestPolicies.tlsRpt("mailto:tlsrpt@example.com"));
          o.dns = p -> TestObservations.answering(p, p.stsRecord(), null);
        }), "DnsPublished", "False", "WaitingForDns", "_smtp._tls.example.com answers no TXT record at " + NS
            + "; want \"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\""),
        Arguments.of("records wait for the certificate once the policy is served", with(o -> {
          o.certificate = Optional.of(certificate("False"));
          o.recordsWritten = false;
        }), "DnsPublished", "False", "WaitingForPolicy", "policy id " + ID
            + " is published once senders can fetch the policy; waiting for the certificate"),
        Arguments.of("records wait for the policy to be served first", with(o -> {
          o.rollout = RolloutProgress.State.waiting("waiting for rollout");
          o.recordsWritten = false;
        }), "DnsPublished", "False", "WaitingForPolicy", "policy id " + ID
            + " is published once senders can fetch the policy; waiting for the policy to be served"),
        Arguments.of("records of an older policy id wait for the policy",
            with(o -> o.editRecords = records("_mta-sts.example.com", List.of(olderRecord))),
            "DnsPublished", "False", "WaitingForPolicy", RECORDS_BEING_APPLIED),
        Arguments.of("records for one of two domains wait for the policy", with(o -> {
          o.policy = TestPolicies.enforce("example.com", "example.net");
          o.domains = List.of("example.com", "example.net");
          o.editRecords = records("_mta-sts.example.net", List.of(olderRecord));
        }), "DnsPublished", "False", "WaitingForPolicy", RECORDS_BEING_APPLIED),
        Arguments.of("a hand-edited entry without targets is no record",
            with(o -> o.editRecords = records("_mta-sts.example.com", null)),
            "DnsPublished", "False", "WaitingForPolicy", RECORDS_BEING_APPLIED),
        Arguments.of("a hand-edited DNSEndpoint naming the record twice is read by its first entry",
            with(o -> o.editRecords = records -> records.getSpec().getEndpoints().add(new Endpoint(
                "_mta-sts.example.com", Endpoint.TYPE_TXT, 300L, List.of(olderRecord)))),
            "DnsPublished", "True", "DnsAnswers", "DNS answers policy id " + ID + " for example.com"),
        Arguments.of("an invalid spec leaves the records as they are",
            with(o -> o.errors = List.of("spec.mx[0]: bad")),
            "DnsPublished", "Unknown", "InvalidSpec", "the spec is invalid; the published records are left as they are"),
        Arguments.of("MX coverage waits for the first lookup", with(o -> o.mx = MxObservation.NOT_YET),
            "MxCovered", "Unknown", "Pending", "the MX records have not been looked up yet"),
        Arguments.of("an invalid spec leaves MX coverage unknown", with(o -> {
          o.errors = List.of("spec.mx[0]: bad");
          o.mx = MxObservation.of(new MxRecords(Map.of("example.com", List.of("mx1.example.com")), Map.of()));
        }), "MxCovered", "Unknown", "InvalidSpec", "the spec is invalid; coverage is checked against the next valid"
            + " policy"),
        Arguments.of("mode none covers every MX host", with(o -> {
          o.policy = TestPolicies.policy(PolicyMode.NONE, "example.com");
          o.mx = MxObservation.of(new MxRecords(Map.of("example.com", List.of("backup.example.net")), Map.of()));
        }), "MxCovered", "True", "MxCovered", "mode is none: senders apply no MX patterns"),
        Arguments.of("every MX host covered says so",
            withMx(Map.of("example.com", List.of("mx1.example.com", "mx2.example.com")), Map.of()),
            "MxCovered", "True", "MxCovered", "every MX host matches an mx pattern"),
        Arguments.of("uncovered MX hosts are each named with their domain", with(o -> {
          o.policy = TestPolicies.enforce("example.com", "example.net");
          o.domains = List.of("example.com", "example.net");
          o.mx = MxObservation.of(new MxRecords(Map.of("example.com", List.of("mx1.example.com", "backup.example.org"),
              "example.net", List.of("mx.example.net")), Map.of()));
        }), "MxCovered", "False", "MxNotCovered", "backup.example.org (MX of example.com), mx.example.net (MX of"
            + " example.net) matches none of the mx patterns; in enforce mode senders refuse to deliver there"),
        Arguments.of("a failed lookup is named with its domain",
            withMx(Map.of(), Map.of("example.com", "timed out")),
            "MxCovered", "Unknown", "MxLookupFailed", "MX lookup failed for example.com: timed out"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("conditions")
  void everyConditionSaysWhatItWaitsFor(String description, Observations seen, String type, String status,
      String reason, String message) {
    Condition condition = ConditionList.find(PolicyStatusCalculator.compute(seen, null).getConditions(), type)
        .orElseThrow();

    assertThat(condition.getStatus()).isEqualTo(status);
    assertThat(condition.getReason()).isEqualTo(reason);
    assertThat(condition.getMessage()).isEqualTo(message);
  }

  static Stream<Arguments> publishTimeout() {
    String behind = "_mta-sts.example.com answers \"v=STSv1\" (" + NO_ID + ") at " + NS + "; want id=" + ID;
    return Stream.of(
        Arguments.of("DNS behind, within --dns-publish-timeout", Duration.ofMinutes(9), "WaitingForDns", behind),
        Arguments.of("DNS without the id --dns-publish-timeout after the records were handed over",
            Duration.ofMinutes(11), "DnsNotAnswering", behind + "; still, 10 min after the records were handed over:"
                + " check that external-dns runs with --managed-record-types=TXT, that its --domain-filter covers the"
                + " zone, and that its provider writes TXT values whole (README, \"DNS providers\")"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("publishTimeout")
  void dnsThatStaysBehindIsAFaultOnceThePublishTimeoutHasPassed(String description, Duration ago, String reason,
      String message) {
    TestObservations seen = TestObservations.allDone();
    seen.dns = p -> TestObservations.answering(p, "v=STSv1", null);
    seen.handedOverAgo(ago);

    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(seen.build(), seen.previous);

    Condition dns = ConditionList.find(status.getConditions(), "DnsPublished").orElseThrow();
    assertThat(dns.getReason()).isEqualTo(reason);
    assertThat(dns.getMessage()).isEqualTo(message);
    assertThat(ConditionList.find(status.getConditions(), "Ready").orElseThrow().getReason()).isEqualTo(reason);
  }

  @Test
  void withTheRfc2136PublisherTheTimeoutPointsAtThePrimaryAndItsSecondaries() {
    TestObservations seen = TestObservations.allDone();
    seen.dns = p -> TestObservations.answering(p, null, null);
    seen.dnsWhatToCheck = DnsAnswers.Observation.primary("ns1.example.com:53");
    seen.handedOverAgo(Duration.ofMinutes(11));

    Condition dns = ConditionList.find(PolicyStatusCalculator.compute(seen.build(), seen.previous).getConditions(),
        "DnsPublished").orElseThrow();

    assertThat(dns.getReason()).isEqualTo("DnsNotAnswering");
    assertThat(dns.getMessage()).endsWith(": the primary ns1.example.com:53 took the update: check that every name"
        + " server of the zone gets the zone from it (NOTIFY and zone transfers) and that --rfc2136-primary is the"
        + " zone's primary");
  }

  @Test
  void theRecordsAndDnsAnswersAreDatedFromWhenTheyFirstLookedAsTheyDo() {
    TestObservations seen = TestObservations.allDone();
    seen.dns = p -> TestObservations.answering(p, "v=STSv1", null);
    seen.handedOverAgo(Duration.ofMinutes(3));
    Instant then = seen.now.minus(Duration.ofMinutes(3));

    DomainStatus still = PolicyStatusCalculator.compute(seen.build(), seen.previous).getDomains().get(0);
    assertThat(still.getRecordsSince()).isEqualTo(then.toString());
    assertThat(still.getDns().getSince()).isEqualTo(then.toString());
    assertThat(still.getDns().getCurrent()).isFalse();
    assertThat(still.getDns().getStsRecords()).containsExactly("v=STSv1");
    assertThat(still.getDns().getServers()).isEqualTo(NS);

    seen.dns = TestObservations::answersPublished;
    DomainStatus answered = PolicyStatusCalculator.compute(seen.build(), seen.previous).getDomains().get(0);
    assertThat(answered.getRecordsSince()).as("the records did not change").isEqualTo(then.toString());
    assertThat(answered.getDns().getSince()).as("DNS answers anew").isEqualTo(seen.now.toString());
    assertThat(answered.getDns().getCurrent()).isTrue();
    assertThat(answered.getDns().getMessage()).isNull();
  }

  @Test
  void newRecordsAreDatedAnew() {
    TestObservations seen = TestObservations.allDone();
    seen.handedOverAgo(Duration.ofMinutes(3));
    seen.editRecords = records("_mta-sts.example.com", List.of("v=STSv1; id=2026112307000001"));

    DomainStatus changed = PolicyStatusCalculator.compute(seen.build(), seen.previous).getDomains().get(0);

    assertThat(changed.getStsRecord()).isEqualTo("v=STSv1; id=2026112307000001");
    assertThat(changed.getRecordsSince()).isEqualTo(seen.now.toString());
  }

  @Test
  void theSameUrlAnswerKeepsItsDateAndAnotherIsDatedAnew() {
    String noAddress = "https://mta-sts.example.com/.well-known/mta-sts.txt: the policy host has no address";
    TestObservations seen = TestObservations.allDone();
    seen.policyUrls = Map.of("example.com", new ServedPolicy(ServedPolicy.Outcome.WRONG_POLICY, noAddress));
    MtaStsPolicyStatus first = PolicyStatusCalculator.compute(seen.build(), null);
    Instant then = seen.now;

    seen.now = then.plusSeconds(2);
    MtaStsPolicyStatus again = PolicyStatusCalculator.compute(seen.build(), first);
    assertThat(again.getDomains().get(0).getPolicyUrlAnswer().getSince()).isEqualTo(then.toString());

    seen.now = then.plusSeconds(4);
    seen.policyUrls = Map.of("example.com", new ServedPolicy(ServedPolicy.Outcome.SERVED, "served"));
    MtaStsPolicyStatus served = PolicyStatusCalculator.compute(seen.build(), again);
    assertThat(served.getDomains().get(0).getPolicyUrlAnswer().getSince()).isEqualTo(seen.now.toString());
    assertThat(served.getDomains().get(0).getPolicyUrlAnswer().getCurrent()).isTrue();
  }

  @Test
  void whatThePolicyUrlAnsweredIsShownPerDomainAndKeptUntilTheNextFetch() {
    TestObservations seen = TestObservations.allDone();
    seen.policyUrls = Map.of("example.com", new ServedPolicy(ServedPolicy.Outcome.WRONG_POLICY,
        "https://mta-sts.example.com/.well-known/mta-sts.txt: the policy host has no address"));
    MtaStsPolicyStatus fetched = PolicyStatusCalculator.compute(seen.build(), null);
    assertThat(fetched.getDomains().get(0).getPolicyUrlAnswer().getCurrent()).isFalse();

    seen.policyUrls = Map.of();
    seen.now = seen.now.plusSeconds(60);
    assertThat(PolicyStatusCalculator.compute(seen.build(), fetched).getDomains().get(0).getPolicyUrlAnswer())
        .as("no fetch in this reconciliation").isEqualTo(fetched.getDomains().get(0).getPolicyUrlAnswer());
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
  void theStatusReportsThePolicySendersFetch() {
    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(allDone(), null);

    assertThat(status.getObservedGeneration()).isEqualTo(3L);
    assertThat(status.getPolicyId()).isEqualTo(ID);
    assertThat(status.getPolicy())
        .isEqualTo("version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\n"
            + "max_age: 604800\r\n");
  }

  static Stream<Arguments> discoveredMx() {
    return Stream.of(
        Arguments.of("discovered MX hosts are listed", Optional.of(List.of("mx1.example.com", "mx2.example.com")),
            List.of("mx1.example.com", "mx2.example.com")),
        Arguments.of("no host discovered lists none", Optional.of(List.of()), null),
        Arguments.of("without spec.discoverMx nothing is listed", Optional.empty(), null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("discoveredMx")
  void statusListsTheDiscoveredMxHosts(String description, Optional<List<String>> discovered,
      List<String> listed) {
    MtaStsPolicyStatus status = PolicyStatusCalculator.compute(with(o -> o.discoveredMx = discovered), null);

    assertThat(status.getDiscoveredMx()).isEqualTo(listed);
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
    assertThat(status.getPolicyHash()).isEqualTo(previous.getPolicyHash());
    assertThat(status.getPolicy()).isEqualTo(previous.getPolicy());
    assertThat(status.getDomains()).isEqualTo(previous.getDomains());
    assertThat(status.getObservedGeneration()).isEqualTo(4L);
  }
}
