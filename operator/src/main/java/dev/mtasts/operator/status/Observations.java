package dev.mtasts.operator.status;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.desired.PublishedPolicy;
import io.fabric8.certmanager.api.model.v1.Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the status is computed from, gathered by the reconciler: the resource's generation and previous
 * status, what it should publish, and what the cluster reports about each owned object.
 *
 * @param generation metadata.generation of the resource
 * @param invalid the spec's problems the schema could not catch (empty when valid)
 * @param published what the operator publishes, when the spec is valid
 * @param conflicts the domains an older MtaStsPolicy claims
 * @param applyErrors the owned objects the API server refused to apply, each with the reason
 * @param rollout the policy server's rollout of the current policy
 * @param served the result of fetching the policy through the Service, when the operator can reach it
 * @param certificate the Certificate as cert-manager reports it
 * @param dnsEndpoint the DNSEndpoint as it stands
 * @param mx the live MX records as last polled; empty when the MX check is off
 * @param now the time, for lastTransitionTime
 */
public record Observations(
    long generation,
    List<String> invalid,
    Optional<PublishedPolicy> published,
    List<DomainConflict> conflicts,
    List<String> applyErrors,
    RolloutProgress.State rollout,
    Optional<ServedPolicyCheck.Result> served,
    Optional<Certificate> certificate,
    Optional<DNSEndpoint> dnsEndpoint,
    MxObservation mx,
    Instant now) {

  /** Whether the operator polls MX records, and what it found so far. */
  public record MxObservation(boolean enabled, Optional<MxRecords> records) {
    public static final MxObservation OFF = new MxObservation(false, Optional.empty());
  }

  /** A domain of this resource that an older resource claims. */
  public record DomainConflict(String domain, String winner) {}
}
