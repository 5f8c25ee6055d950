package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicySpec;
import dev.mtasts.rfc.Mode;
import dev.mtasts.rfc.MxPattern;
import dev.mtasts.rfc.Policy;
import dev.mtasts.rfc.PolicyHash;
import dev.mtasts.rfc.PolicyRenderer;
import dev.mtasts.rfc.TlsRptRecord;
import java.util.List;
import java.util.Optional;

/**
 * What senders see of a MtaStsPolicy, in RFC terms: the canonical policy, the served body and its hash, and the
 * TLS-RPT record. Replicas, ingress class, TTL and annotations are not part of it, so they never change the id.
 */
public record PolicyContent(Policy policy, String body, String hash, Optional<TlsRptRecord> tlsRpt) {

  public static final long DEFAULT_MAX_AGE = 604_800;

  /**
   * Reads a valid resource; an invalid one raises {@link InvalidPolicyException} listing every problem. With
   * spec.discoverMx, the MX hosts come from status.discoveredMx, the list the operator last found.
   */
  public static PolicyContent of(MtaStsPolicy resource) {
    List<String> discovered = resource.getStatus() == null || resource.getStatus().getDiscoveredMx() == null
        ? List.of() : resource.getStatus().getDiscoveredMx();
    return of(resource, discovered);
  }

  /** As {@link #of(MtaStsPolicy)}, with the discovered MX hosts given (used only with spec.discoverMx). */
  public static PolicyContent of(MtaStsPolicy resource, List<String> discoveredMx) {
    List<String> errors = new java.util.ArrayList<>(PolicySpecValidator.validate(resource));
    MtaStsPolicySpec spec = resource.getSpec();
    boolean discovering = spec != null && spec.discoversMx();
    if (errors.isEmpty() && discovering && PolicySpecValidator.mode(spec) != dev.mtasts.api.v1alpha1.PolicyMode.NONE
        && (spec.getMx() == null || spec.getMx().isEmpty()) && discoveredMx.isEmpty()) {
      errors.add("spec.discoverMx: no MX host has been discovered yet and spec.mx is empty, so there is no policy"
          + " to publish");
    }
    if (!errors.isEmpty()) {
      throw new InvalidPolicyException(describe(resource), errors);
    }
    java.util.stream.Stream<String> hosts = spec.getMx() == null ? java.util.stream.Stream.empty()
        : spec.getMx().stream();
    if (discovering) {
      hosts = java.util.stream.Stream.concat(hosts, discoveredMx.stream());
    }
    List<MxPattern> mx = hosts.map(MxPattern::parse).toList();
    long maxAge = spec.getMaxAge() == null ? DEFAULT_MAX_AGE : spec.getMaxAge();
    Policy policy = new Policy(mode(spec), mx, maxAge, List.of()).canonical();
    Optional<TlsRptRecord> tlsRpt = Optional.ofNullable(spec.getTlsRpt())
        .map(t -> TlsRptRecord.of(t.getRua()));
    return new PolicyContent(policy, PolicyRenderer.render(policy), PolicyHash.of(policy), tlsRpt);
  }

  private static Mode mode(MtaStsPolicySpec spec) {
    return switch (PolicySpecValidator.mode(spec)) {
      case ENFORCE -> Mode.ENFORCE;
      case TESTING -> Mode.TESTING;
      case NONE -> Mode.NONE;
    };
  }

  static String describe(MtaStsPolicy resource) {
    var meta = resource.getMetadata();
    String name = meta == null || meta.getName() == null ? "<unnamed>" : meta.getName();
    String namespace = meta == null || meta.getNamespace() == null ? "" : meta.getNamespace() + "/";
    return "MtaStsPolicy " + namespace + name;
  }
}
