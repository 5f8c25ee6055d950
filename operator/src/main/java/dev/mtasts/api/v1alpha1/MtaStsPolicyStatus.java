package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** What the operator has observed and published; written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"observedGeneration", "policyId", "policyHash", "policy", "effectiveMode", "rollout",
    "discoveredMx", "domains", "reports", "conditions"})
// Conditions and domains are lists keyed by type and name, so server-side apply merges them entry by entry.
@SchemaCustomizer(
    value = SchemaMergePatch.class,
    input = "{\"properties\":{"
        + "\"conditions\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"type\"],"
        + "\"items\":{\"required\":[\"type\",\"status\"]}},"
        + "\"domains\":{\"x-kubernetes-list-type\":\"map\",\"x-kubernetes-list-map-keys\":[\"name\"]}}}")
public class MtaStsPolicyStatus {

  @JsonPropertyDescription("The metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription(
      "The id published in the _mta-sts TXT record (RFC 8461 §3.1): 1 to 32 letters or digits, derived from UTC"
          + " time, changed when and only when policyHash changes.")
  private String policyId;

  @JsonPropertyDescription(
      "Lower-case hex SHA-256 of the policy file exactly as served (the bytes senders fetch).")
  private String policyHash;

  @JsonPropertyDescription("The policy file served at https://mta-sts.<domain>/.well-known/mta-sts.txt.")
  private String policy;

  @JsonPropertyDescription(
      "The mode the served policy has: spec.mode, except that with spec.rollout an enforce policy is served in"
          + " testing mode until the rollout gate is met.")
  private String effectiveMode;

  @JsonPropertyDescription("With spec.rollout: where the staged rollout to enforce mode stands.")
  private RolloutStatus rollout;

  @JsonPropertyDescription("The TLS-RPT reports the operator received for this policy (spec.tlsRpt), summed up.")
  private ReportsSummary reports;

  @JsonPropertyDescription(
      "With spec.discoverMx: the MX hosts last found for all domains, the last good list kept when DNS fails.")
  private List<String> discoveredMx;

  @JsonPropertyDescription("Per domain: the policy URL and the exact TXT record values published.")
  private List<DomainStatus> domains = new ArrayList<>();

  @JsonPropertyDescription(
      "Standard conditions, one per type, each with observedGeneration: PolicyServed (the pods with the current"
          + " policy are rolled out and serve it), CertificateReady (cert-manager reports the Certificate Ready),"
          + " DnsPublished (the DNSEndpoint holds the current policy id and external-dns has read it), MxCovered"
          + " (every live MX host of every published domain matches an mx pattern; Unknown when the MX check is"
          + " off, has not run yet or a lookup failed) and Ready (senders can use the current policy: served,"
          + " certified and published, no domain conflict, and in enforce mode no uncovered MX host). While Ready is"
          + " False, its reason names the first unmet step.")
  private List<Condition> conditions = new ArrayList<>();

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getPolicyId() {
    return policyId;
  }

  public void setPolicyId(String policyId) {
    this.policyId = policyId;
  }

  public String getPolicyHash() {
    return policyHash;
  }

  public void setPolicyHash(String policyHash) {
    this.policyHash = policyHash;
  }

  public String getPolicy() {
    return policy;
  }

  public void setPolicy(String policy) {
    this.policy = policy;
  }

  public String getEffectiveMode() {
    return effectiveMode;
  }

  public void setEffectiveMode(String effectiveMode) {
    this.effectiveMode = effectiveMode;
  }

  public RolloutStatus getRollout() {
    return rollout;
  }

  public void setRollout(RolloutStatus rollout) {
    this.rollout = rollout;
  }

  public ReportsSummary getReports() {
    return reports;
  }

  public void setReports(ReportsSummary reports) {
    this.reports = reports;
  }

  public List<String> getDiscoveredMx() {
    return discoveredMx;
  }

  public void setDiscoveredMx(List<String> discoveredMx) {
    this.discoveredMx = discoveredMx;
  }

  public List<DomainStatus> getDomains() {
    return domains;
  }

  public void setDomains(List<DomainStatus> domains) {
    this.domains = domains;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  // Compared by value, so the operator writes status only when it changed (and a restart writes nothing).
  @Override
  public boolean equals(Object o) {
    return o instanceof MtaStsPolicyStatus other
        && java.util.Objects.equals(observedGeneration, other.observedGeneration)
        && java.util.Objects.equals(policyId, other.policyId)
        && java.util.Objects.equals(policyHash, other.policyHash)
        && java.util.Objects.equals(policy, other.policy)
        && java.util.Objects.equals(effectiveMode, other.effectiveMode)
        && java.util.Objects.equals(rollout, other.rollout)
        && java.util.Objects.equals(reports, other.reports)
        && java.util.Objects.equals(discoveredMx, other.discoveredMx)
        && java.util.Objects.equals(domains, other.domains)
        && java.util.Objects.equals(conditions, other.conditions);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(observedGeneration, policyId, policyHash, policy, effectiveMode, rollout,
        discoveredMx, domains, reports, conditions);
  }
}
