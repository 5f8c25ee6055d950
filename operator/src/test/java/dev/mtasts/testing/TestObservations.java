package dev.mtasts.testing;

import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.check.PublishedRecordsLookup.DomainAnswer;
import dev.mtasts.check.PublishedRecordsLookup.ServerAnswer;
import dev.mtasts.operator.status.DnsAnswers;
import dev.mtasts.rfc.TlsRptRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.DNSEndpointStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyDnsEndpoint;
import dev.mtasts.operator.status.Observations;
import dev.mtasts.operator.status.RolloutProgress;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.api.v1alpha1.ReportResult;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.operator.status.GatewayAttachment;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.PolicyExposure;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.Publication;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.publication.RolloutGate;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A fixture builder of what the reconciler observes (as cert-manager's test/unit/gen): by default everything is
 * done (rolled out, certificate Ready, records current and read by external-dns); each test changes one thing.
 */
public final class TestObservations {

  public static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");
  public static final String POLICY_ID = "2026112307000000";

  public MtaStsPolicy policy = TestPolicies.enforce("example.com");
  public long generation = 3;
  public List<String> errors = List.of();
  public List<DomainConflict> conflicts = List.of();
  public List<String> applyErrors = List.of();
  public RolloutProgress.State rollout = new RolloutProgress.State(true, false, "rolled out");
  /** When set, the rollout is what RolloutProgress reads off this Deployment instead of {@link #rollout}. */
  public Deployment deployment;
  public Optional<ServedPolicy> served = Optional.empty();
  public Optional<Certificate> certificate = Optional.of(certificate("True"));
  public boolean recordsWritten = true;
  public Optional<Long> recordsReadByExternalDns = Optional.of(1L);
  public MxObservation mx = MxObservation.OFF;
  /** Whether the operator looks at DNS (--dns-check-interval other than PT0S). */
  public boolean dnsChecked = true;
  /** What DNS answers: by default exactly the published records, at one server; empty before the first lookup. */
  public Function<PublishedPolicy, Optional<DnsAnswers>> dns = TestObservations::answersPublished;
  public Duration dnsPublishTimeout = Duration.ofMinutes(10);
  /** What DnsNotAnswering tells a person to check: external-dns's flags by default. */
  public String dnsWhatToCheck = DnsAnswers.Observation.EXTERNAL_DNS;
  /** The fetches of the policy URLs made in this reconciliation, per domain. */
  public Map<String, ServedPolicy> policyUrls = Map.of();
  /** With spec.discoverMx, the MX hosts the decision found; empty without it. */
  public Optional<List<String>> discoveredMx = Optional.empty();
  /** The domains this resource may publish for (the others conflict). */
  public List<String> domains = List.of("example.com");
  /** A change to the DNSEndpoint as written, standing in for an older one or a hand edit. */
  public Consumer<DNSEndpoint> editRecords = records -> { };
  public Instant now = NOW;
  /** The TLS-RPT reports stored for the policy. */
  public List<TlsRptReportSpec> reports = List.of();
  /** With spec.rollout: the gate's verdict. */
  public Optional<RolloutGate.Verdict> rolloutVerdict = Optional.empty();
  /** The status before this reconciliation (none: the first one). */
  public MtaStsPolicyStatus previous;

  /** Through a Gateway: where, and our routes and ListenerSet as its controller left them; none for an Ingress. */
  public Optional<PolicyExposure.ThroughGateway> gateway = Optional.empty();
  public List<HTTPRoute> routes = List.of();
  public Optional<ListenerSet> listenerSet = Optional.empty();

  public static TestObservations allDone() {
    return new TestObservations();
  }

  /** The policy as the API server returns it, with the status the operator computes for what it saw. */
  public MtaStsPolicy withStatus() {
    policy.getMetadata().setGeneration(generation);
    policy.setStatus(dev.mtasts.operator.status.PolicyStatusCalculator.compute(build(), previous));
    return policy;
  }

  /**
   * Makes the previous status the one computed from these same observations {@code ago} earlier: the records were
   * handed to DNS then and DNS has answered the same since. Call it after the other changes.
   */
  public TestObservations handedOverAgo(Duration ago) {
    Instant then = now;
    now = now.minus(ago);
    previous = dev.mtasts.operator.status.PolicyStatusCalculator.compute(build(), previous);
    now = then;
    return this;
  }

  public static Certificate certificate(String ready) {
    return new CertificateBuilder().withNewMetadata().withName("c").endMetadata()
        .withNewStatus().addNewCondition().withType("Ready").withStatus(ready).withReason("Issuing")
        .withMessage("issuing").endCondition().endStatus().build();
  }

  public PublishedPolicy published() {
    PublishedPolicy all = TestPolicies.published(policy, POLICY_ID, domains);
    return new PublishedPolicy(all.content(), all.id(), all.domains(), conflicts);
  }

  public Observations build() {
    PublishedPolicy published = published();
    DNSEndpoint records = PolicyDnsEndpoint.desired(policy, OperatorSettings.defaults(), published);
    records.getMetadata().setGeneration(1L);
    DNSEndpointStatus read = new DNSEndpointStatus();
    read.setObservedGeneration(recordsReadByExternalDns.orElse(null));
    records.setStatus(read);
    editRecords.accept(records);
    Publication.Decision decision = new Publication.Decision(errors,
        errors.isEmpty() ? Optional.of(published) : Optional.empty(), discoveredMx, rolloutVerdict);
    RolloutProgress.State rolledOut = deployment == null ? rollout
        : RolloutProgress.of(deployment, published.content().hash());
    DnsAnswers.Observation dnsCheck = dnsChecked
        ? new DnsAnswers.Observation(true, dns.apply(published), dnsPublishTimeout,
            dnsWhatToCheck) : DnsAnswers.Observation.OFF;
    return new Observations(generation, decision, applyErrors, rolledOut, served, certificate,
        recordsWritten ? Optional.of(records) : Optional.empty(), mx, dnsCheck, policyUrls, now)
        .withReports(reports)
        .withGateway(gateway.map(g -> GatewayAttachment.of(g, published.domains(), routes, listenerSet)));
  }

  /** A stored report of {@code organization} for example.com whose period is the UTC day ending {@code end}. */
  public static TlsRptReportSpec report(String organization, Instant end, long successful, long failed) {
    TlsRptReportSpec report = new TlsRptReportSpec();
    report.setPolicy("example");
    report.setOrganization(organization);
    report.setReportId(organization + "-" + end);
    report.setStartDatetime(end.minus(Duration.ofDays(1)).toString());
    report.setEndDatetime(end.toString());
    report.setReceivedAt(end.plusSeconds(3600).toString());
    report.setChannel("https");
    report.setDomains(List.of("example.com"));
    report.setSuccessfulSessions(successful);
    report.setFailedSessions(failed);
    if (failed > 0) {
      report.setResults(List.of(new ReportResult("example.com", "sts", "mx1.example.com", "certificate-expired",
          failed)));
    }
    return report;
  }

  public static final String NAME_SERVER = "ns1.example.net (192.0.2.53)";

  /** DNS answering exactly what is published, at one authoritative server. */
  public static Optional<DnsAnswers> answersPublished(PublishedPolicy published) {
    return answering(published, published.stsRecord(),
        published.domains().isEmpty() ? null
            : published.content().tlsRptFor(published.domains().get(0)).map(TlsRptRecord::render).orElse(null));
  }

  /** DNS answering the given _mta-sts value (and _smtp._tls value, if not null) for every published domain. */
  public static Optional<DnsAnswers> answering(PublishedPolicy published, String sts, String tlsRpt) {
    Map<String, DomainAnswer> byDomain = new LinkedHashMap<>();
    for (String domain : published.domains()) {
      byDomain.put(domain, new DomainAnswer(domain, List.of(new ServerAnswer(NAME_SERVER,
          sts == null ? List.of() : List.of(sts), tlsRpt == null ? List.of() : List.of(tlsRpt), Optional.empty())),
          Optional.empty()));
    }
    return Optional.of(new DnsAnswers(byDomain));
  }
}
