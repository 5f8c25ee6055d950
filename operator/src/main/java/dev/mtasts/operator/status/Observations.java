package dev.mtasts.operator.status;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.Publication;
import io.fabric8.certmanager.api.model.v1.Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the status is computed from, gathered by the reconciler: the decision of what is published, and what
 * the cluster, the policy server and DNS report. Each I/O result is a field here, never a side channel.
 *
 * @param generation metadata.generation of the resource
 * @param decision what the spec publishes, or why it publishes nothing new
 * @param applyErrors the owned objects the API server refused to apply, each with the reason
 * @param rollout the policy server's rollout of the current policy
 * @param served the result of fetching the policy through the Service, when the rollout was complete
 * @param certificate the Certificate as cert-manager reports it
 * @param dnsEndpoint the DNSEndpoint as it stands
 * @param mx the MX check and its last answer
 * @param dns the DNS check of the published records and its last answer
 * @param policyUrls per domain, the fetch of its policy URL made in this reconciliation (none when the records are
 *     already out, or the URL check is off)
 * @param now the time, for lastTransitionTime
 * @param reports the TLS-RPT reports stored for the policy
 * @param gateway for a policy exposed through a Gateway, what its controller reports on our routes and listeners
 */
public record Observations(
    long generation,
    Publication.Decision decision,
    List<String> applyErrors,
    RolloutProgress.State rollout,
    Optional<ServedPolicy> served,
    Optional<Certificate> certificate,
    Optional<DNSEndpoint> dnsEndpoint,
    MxObservation mx,
    DnsAnswers.Observation dns,
    Map<String, ServedPolicy> policyUrls,
    Instant now,
    List<TlsRptReportSpec> reports,
    Optional<ConditionList.Decided> gateway) {

  public Observations {
    applyErrors = List.copyOf(applyErrors);
    policyUrls = Map.copyOf(policyUrls);
    reports = List.copyOf(reports);
  }

  /** Without reports. */
  public Observations(long generation, Publication.Decision decision, List<String> applyErrors,
      RolloutProgress.State rollout, Optional<ServedPolicy> served, Optional<Certificate> certificate,
      Optional<DNSEndpoint> dnsEndpoint, MxObservation mx, DnsAnswers.Observation dns,
      Map<String, ServedPolicy> policyUrls, Instant now) {
    this(generation, decision, applyErrors, rollout, served, certificate, dnsEndpoint, mx, dns, policyUrls, now,
        List.of(), Optional.empty());
  }

  /** The same observations with the reports stored for the policy. */
  public Observations withReports(List<TlsRptReportSpec> stored) {
    return new Observations(generation, decision, applyErrors, rollout, served, certificate, dnsEndpoint, mx, dns,
        policyUrls, now, stored, gateway);
  }

  /** The same observations with the Gateway's verdict on the policy's routes and listeners ({@link GatewayAttachment}). */
  public Observations withGateway(Optional<ConditionList.Decided> verdict) {
    return new Observations(generation, decision, applyErrors, rollout, served, certificate, dnsEndpoint, mx, dns,
        policyUrls, now, reports, verdict);
  }
}
