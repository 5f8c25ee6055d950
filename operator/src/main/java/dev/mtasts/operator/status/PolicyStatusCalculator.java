package dev.mtasts.operator.status;

import static dev.mtasts.operator.status.ConditionList.Decided.isFalse;
import static dev.mtasts.operator.status.ConditionList.Decided.isTrue;
import static dev.mtasts.operator.status.ConditionList.Decided.unknown;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.Endpoint;
import dev.mtasts.api.v1alpha1.ReportsSummary;
import dev.mtasts.api.v1alpha1.RolloutStatus;
import dev.mtasts.api.v1alpha1.ConditionStatus;
import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.DnsAnswer;
import dev.mtasts.api.v1alpha1.DomainStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.PolicyUrlAnswer;
import dev.mtasts.api.v1alpha1.Reasons;
import dev.mtasts.check.PublishedRecordsLookup.ServerAnswer;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.operator.status.ConditionList.Decided;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.publication.TxtEncoding;
import dev.mtasts.rfc.Mode;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The status as a pure function of what was observed. Ready is the first unmet step of an ordered chain (as
 * cert-manager's readiness policies): valid spec, no conflict, applied, MX covered in enforce mode, rolled out and
 * served, certified, published.
 */
public final class PolicyStatusCalculator {

  private PolicyStatusCalculator() {}

  public static MtaStsPolicyStatus compute(Observations seen, MtaStsPolicyStatus previous) {
    MtaStsPolicyStatus status = new MtaStsPolicyStatus();
    status.setObservedGeneration(seen.generation());
    Optional<PublishedPolicy> published = seen.decision().published();
    if (published.isPresent()) {
      PublishedPolicy p = published.get();
      status.setPolicyId(p.policyId());
      status.setPolicyHash(p.content().hash());
      status.setPolicy(p.content().body());
      status.setDomains(domains(p, seen, previous));
    } else if (previous != null) {
      // An invalid spec publishes nothing new: keep reporting what is out there.
      status.setPolicyId(previous.getPolicyId());
      status.setPolicyHash(previous.getPolicyHash());
      status.setPolicy(previous.getPolicy());
      status.setDomains(previous.getDomains());
    }
    seen.decision().discoveredMx().filter(mx -> !mx.isEmpty()).ifPresent(status::setDiscoveredMx);

    Decided served = policyServed(seen);
    Decided certificate = certificateReady(seen.certificate());
    Decided dns = dnsPublished(seen, served, certificate, status.getDomains());
    Decided mx = mxCovered(seen);
    // Through a Gateway, its verdict on our routes and listeners is a step of the chain, after the policy is served.
    List<Decided> chain = new ArrayList<>(List.of(served));
    seen.gateway().filter(g -> seen.decision().isValid()).ifPresent(chain::add);
    chain.addAll(List.of(certificate, dns));
    Decided ready = ready(seen, chain, mx);
    List<Decided> conditions = new ArrayList<>(chain);
    conditions.addAll(List.of(mx, ready));

    Optional<ReportsSummary> reports = ReportsWindow.summarize(seen.reports(), seen.now());
    reports.ifPresent(status::setReports);
    boolean asksForReports = published.map(p -> !p.content().rua().isEmpty() || p.content().receivesReports())
        .orElse(previous != null && previous.getReports() != null);
    if (asksForReports || reports.isPresent()) {
      conditions.add(reportsClean(reports));
    }
    published.ifPresent(p -> status.setEffectiveMode(p.content().policy().mode().token()));
    if (published.isEmpty() && previous != null) {
      status.setEffectiveMode(previous.getEffectiveMode());
    }
    Optional<RolloutStatus> rollout = rollout(seen, previous);
    rollout.ifPresent(status::setRollout);
    rollout.ifPresent(r -> conditions.add(r.getGateMet()
        ? isTrue(ConditionTypes.ROLLOUT_GATE, Reasons.GATE_MET, "enforce is served since " + r.getPromotedAt()
            + ": " + r.getMessage())
        : isFalse(ConditionTypes.ROLLOUT_GATE, Reasons.GATE_NOT_MET, "testing is served until the gate is met: "
            + r.getMessage())));

    status.setConditions(ConditionList.update(previous == null ? List.of() : previous.getConditions(),
        conditions, seen.generation(), seen.now()));
    return status;
  }

  private static Decided reportsClean(Optional<ReportsSummary> reports) {
    String type = ConditionTypes.REPORTS_CLEAN;
    if (reports.isEmpty()) {
      return unknown(type, Reasons.NO_REPORTS, "no TLS-RPT report received " + ReportsWindow.IN_THE_WINDOW);
    }
    ReportsSummary r = reports.get();
    String from = r.getReports() + (r.getReports() == 1 ? " report" : " reports") + " from "
        + String.join(", ", r.getOrganizations()) + " " + ReportsWindow.IN_THE_WINDOW;
    if (r.getFailedSessions() == 0) {
      return isTrue(type, Reasons.NO_FAILURES_REPORTED, from + ": all " + r.getSuccessfulSessions()
          + " sessions succeeded");
    }
    String failures = Optional.ofNullable(r.getFailures()).orElse(List.of()).stream()
        .map(ReportsWindow::describe).collect(Collectors.joining("; "));
    return isFalse(type, Reasons.FAILURES_REPORTED, from + ": " + r.getFailedSessions() + " of "
        + (r.getSuccessfulSessions() + r.getFailedSessions()) + " sessions failed (" + r.getFailureRatio() + "): "
        + failures);
  }

  /** The gate's verdict, dated: promotedAt is kept from the status that first said met. */
  private static Optional<RolloutStatus> rollout(Observations seen, MtaStsPolicyStatus previous) {
    Optional<RolloutStatus> before = Optional.ofNullable(previous).map(MtaStsPolicyStatus::getRollout);
    return seen.decision().rollout().map(verdict -> {
      String promotedAt = null;
      if (verdict.met()) {
        // Only a met gate has a promotedAt, and once met it stays met.
        promotedAt = before.map(RolloutStatus::getPromotedAt).orElse(seen.now().toString());
      }
      return new RolloutStatus(verdict.met(), verdict.message(), promotedAt);
    }).or(() -> seen.decision().isValid() ? Optional.empty() : before);
  }

  private static Decided policyServed(Observations seen) {
    String type = ConditionTypes.POLICY_SERVED;
    if (!seen.decision().isValid()) {
      return unknown(type, Reasons.INVALID_SPEC, "the spec is invalid; the last valid policy stays served");
    }
    RolloutProgress.State rollout = seen.rollout();
    if (!rollout.complete()) {
      return isFalse(type, rollout.stalled() ? Reasons.ROLLOUT_STALLED : Reasons.ROLLOUT_IN_PROGRESS,
          rollout.message());
    }
    return seen.served()
        .filter(r -> !r.allowsPublication())
        .map(r -> isFalse(type, Reasons.POLICY_NOT_SERVED, r.message()))
        .orElseGet(() -> isTrue(type, Reasons.POLICY_SERVED, rollout.message()
            + seen.served().map(r -> "; " + r.message()).orElse("")));
  }

  private static Decided certificateReady(Optional<Certificate> certificate) {
    String type = ConditionTypes.CERTIFICATE_READY;
    if (CertificateReadiness.isReady(certificate)) {
      return isTrue(type, Reasons.CERTIFICATE_ISSUED, "cert-manager reports the certificate Ready");
    }
    Optional<CertificateCondition> ready = CertificateReadiness.readyCondition(certificate);
    String detail = ready.map(r -> ": " + r.getReason() + ": " + r.getMessage())
        .orElse(certificate.isPresent() ? ": cert-manager has not reported on it yet" : ": not created yet");
    return isFalse(type, Reasons.CERTIFICATE_NOT_READY, "the certificate is not Ready" + detail);
  }

  private static Decided dnsPublished(Observations seen, Decided served, Decided certificate,
      List<DomainStatus> domains) {
    String type = ConditionTypes.DNS_PUBLISHED;
    if (seen.decision().published().isEmpty()) {
      return unknown(type, Reasons.INVALID_SPEC, "the spec is invalid; the published records are left as they are");
    }
    PublishedPolicy published = seen.decision().published().get();
    Optional<DNSEndpoint> endpoint = seen.dnsEndpoint();
    if (!endpoint.map(e -> carries(e, published)).orElse(false)) {
      String waitingFor = !served.holds() ? "waiting for the policy to be served"
          : seen.gateway().filter(g -> !g.holds()).isPresent() ? "waiting for the Gateway to accept the routes"
          : !certificate.holds() ? "waiting for the certificate"
          : "it is served and certified, so the records are being applied";
      return isFalse(type, Reasons.WAITING_FOR_POLICY, "policy id " + published.policyId()
          + " is published once senders can fetch the policy; " + waitingFor);
    }
    DNSEndpoint e = endpoint.get();
    Long observed = e.getStatus() == null ? null : e.getStatus().getObservedGeneration();
    Long generation = e.getMetadata().getGeneration();
    boolean read = observed != null && generation != null && observed >= generation;
    String notRead = "DNSEndpoint " + e.getMetadata().getName() + " carries policy id " + published.policyId()
        + "; waiting for external-dns to read it";
    if (!seen.dns().enabled()) {
      return read ? isTrue(type, Reasons.ACCEPTED_BY_EXTERNAL_DNS, "external-dns has read the records with policy id "
          + published.policyId() + "; DNS itself is not checked (--dns-check-interval=PT0S)")
          : isFalse(type, Reasons.WAITING_FOR_EXTERNAL_DNS, notRead);
    }
    List<String> differing = domains.stream().map(DomainStatus::getDns)
        .filter(d -> d == null || !Boolean.TRUE.equals(d.getCurrent()))
        .map(d -> d == null ? "DNS has not been looked up yet" : d.getMessage())
        .toList();
    if (differing.isEmpty()) {
      return isTrue(type, Reasons.DNS_ANSWERS, "DNS answers policy id " + published.policyId() + " for "
          + String.join(", ", published.domains()));
    }
    String answers = String.join("; ", differing);
    Duration timeout = seen.dns().publishTimeout();
    boolean overdue = domains.stream().map(DomainStatus::getRecordsSince).filter(java.util.Objects::nonNull)
        .map(Instant::parse).anyMatch(since -> since.plus(timeout).isBefore(seen.now()));
    if (overdue) {
      return isFalse(type, Reasons.DNS_NOT_ANSWERING, answers + "; still, " + timeout.toMinutes() + " min after the"
          + " records were handed over" + (read ? "" : " (external-dns has not even read DNSEndpoint "
          + e.getMetadata().getName() + ")") + ": " + seen.dns().whatToCheck());
    }
    return read ? isFalse(type, Reasons.WAITING_FOR_DNS, answers)
        : isFalse(type, Reasons.WAITING_FOR_EXTERNAL_DNS, notRead + "; " + answers);
  }

  private static Decided mxCovered(Observations seen) {
    String type = ConditionTypes.MX_COVERED;
    if (!seen.mx().enabled()) {
      return unknown(type, Reasons.MX_CHECK_DISABLED, "the operator does not poll MX records");
    }
    Optional<PublishedPolicy> published = seen.decision().published();
    if (published.isEmpty()) {
      return unknown(type, Reasons.INVALID_SPEC, "the spec is invalid; coverage is checked against the next valid"
          + " policy");
    }
    if (seen.mx().records().isEmpty()) {
      return unknown(type, Reasons.PENDING, "the MX records have not been looked up yet");
    }
    if (published.get().content().policy().mode() == Mode.NONE) {
      // Not a coverage rule but a different message: Policy.uncoveredHosts is empty for mode none too.
      return isTrue(type, Reasons.MX_COVERED, "mode is none: senders apply no MX patterns");
    }
    MxRecords records = seen.mx().records().get();
    List<String> uncovered = new ArrayList<>();
    for (String domain : published.get().domains()) {
      List<String> hosts = records.hostsByDomain().getOrDefault(domain, List.of());
      for (String host : published.get().content().policy().uncoveredHosts(hosts)) {
        uncovered.add(host + " (MX of " + domain + ")");
      }
    }
    if (!uncovered.isEmpty()) {
      return isFalse(type, Reasons.MX_NOT_COVERED, String.join(", ", uncovered)
          + " matches none of the mx patterns; in enforce mode senders refuse to deliver there");
    }
    List<String> failed = published.get().domains().stream().filter(records.failures()::containsKey)
        .map(d -> d + ": " + records.failures().get(d)).toList();
    if (!failed.isEmpty()) {
      return unknown(type, Reasons.MX_LOOKUP_FAILED, "MX lookup failed for " + String.join("; ", failed));
    }
    return isTrue(type, Reasons.MX_COVERED, "every MX host matches an mx pattern");
  }

  private static Decided ready(Observations seen, List<Decided> chain, Decided mx) {
    String type = ConditionTypes.READY;
    if (!seen.decision().isValid()) {
      return isFalse(type, Reasons.INVALID_SPEC, String.join("; ", seen.decision().errors()));
    }
    PublishedPolicy published = seen.decision().published().orElseThrow();
    if (!published.conflicts().isEmpty()) {
      return isFalse(type, Reasons.DOMAIN_CONFLICT, published.conflicts().stream().map(DomainConflict::describe)
          .collect(Collectors.joining("; ")) + "; nothing is published for it here");
    }
    if (!seen.applyErrors().isEmpty()) {
      return isFalse(type, Reasons.APPLY_FAILED, String.join("; ", seen.applyErrors()));
    }
    if (published.content().policy().mode() == Mode.ENFORCE && mx.status() == ConditionStatus.FALSE) {
      // RFC 8461 §5: in enforce mode mail to an uncovered MX host is refused, so this is not ready.
      return isFalse(type, Reasons.MX_NOT_COVERED, mx.message());
    }
    for (Decided step : chain) {
      if (!step.holds()) {
        return isFalse(type, step.reason(), step.message());
      }
    }
    return isTrue(type, Reasons.PUBLISHED, "policy id " + published.policyId() + " is served and published for "
        + String.join(", ", published.domains()));
  }

  /** Whether the DNSEndpoint holds the current _mta-sts record for every domain published here. */
  public static boolean carries(DNSEndpoint endpoint, PublishedPolicy published) {
    Map<String, List<String>> targets = targets(endpoint);
    return published.domains().stream().allMatch(d ->
        List.of(published.stsRecord()).equals(targets.get(ObjectNames.stsRecordName(d))));
  }

  private static Map<String, List<String>> targets(DNSEndpoint endpoint) {
    if (endpoint.getSpec() == null || endpoint.getSpec().getEndpoints() == null) {
      return Map.of();
    }
    return endpoint.getSpec().getEndpoints().stream()
        .filter(e -> Endpoint.TYPE_TXT.equals(e.getRecordType()) && e.getTargets() != null)
        // The values, however --dns-txt-encoding wrote them.
        .collect(Collectors.toMap(Endpoint::getDnsName,
            e -> e.getTargets().stream().map(TxtEncoding::decode).toList(), (a, b) -> a));
  }

  /**
   * Per domain: the policy URL, the TXT values the DNSEndpoint holds and since when, what DNS answers and what the
   * policy URL answered. Times are kept from the previous status while what they date stays the same.
   */
  private static List<DomainStatus> domains(PublishedPolicy published, Observations seen,
      MtaStsPolicyStatus previous) {
    Map<String, List<String>> targets = seen.dnsEndpoint().map(PolicyStatusCalculator::targets).orElse(Map.of());
    Map<String, DomainStatus> before = new java.util.HashMap<>();
    if (previous != null && previous.getDomains() != null) {
      previous.getDomains().forEach(d -> before.putIfAbsent(d.getName(), d));
    }
    String now = seen.now().toString();
    return published.domains().stream().map(d -> {
      Optional<DomainStatus> was = Optional.ofNullable(before.get(d));
      DomainStatus domain = new DomainStatus(d, ObjectNames.policyUrl(d),
          first(targets.get(ObjectNames.stsRecordName(d))),
          first(targets.get(ObjectNames.tlsRptRecordName(d))));
      if (domain.getStsRecord() != null) {
        domain.setRecordsSince(was.filter(w -> Objects.equals(w.getStsRecord(), domain.getStsRecord())
                && Objects.equals(w.getTlsRptRecord(), domain.getTlsRptRecord()))
            .map(DomainStatus::getRecordsSince).orElse(now));
      }
      seen.dns().answers().map(a -> a.byDomain().get(d)).ifPresent(answer -> {
        DnsVerdict verdict = DnsVerdict.of(answer, published);
        DnsAnswer dns = new DnsAnswer(verdict.current(),
            verdict.shown().map(ServerAnswer::stsRecords).orElse(List.of()),
            verdict.shown().map(ServerAnswer::tlsRptRecords).orElse(List.of()),
            String.join(", ", verdict.servers()), verdict.problem().orElse(null), now);
        dns.setSince(was.map(DomainStatus::getDns).filter(dns::sameAnswer).map(DnsAnswer::getSince).orElse(now));
        domain.setDns(dns);
      });
      Optional<ServedPolicy> fetched = Optional.ofNullable(seen.policyUrls().get(d));
      Optional<PolicyUrlAnswer> urlBefore = was.map(DomainStatus::getPolicyUrlAnswer);
      domain.setPolicyUrlAnswer(fetched.map(f -> new PolicyUrlAnswer(f.outcome() == ServedPolicy.Outcome.SERVED,
              f.message(), urlBefore.filter(u -> Objects.equals(u.getMessage(), f.message()))
                  .map(PolicyUrlAnswer::getSince).orElse(now)))
          .or(() -> urlBefore).orElse(null));
      return domain;
    }).toList();
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
