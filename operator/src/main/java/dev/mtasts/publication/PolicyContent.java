package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.MtaStsPolicySpec;
import dev.mtasts.rfc.Mode;
import dev.mtasts.rfc.MxPattern;
import dev.mtasts.rfc.Policy;
import dev.mtasts.rfc.PolicyHash;
import dev.mtasts.rfc.PolicyRenderer;
import dev.mtasts.rfc.TlsRptRecord;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What senders see of a MtaStsPolicy, in RFC terms: the canonical policy, the served body and its hash, and the
 * TLS-RPT record. Replicas, ingress class, TTL and annotations are not part of it, so they never change the id.
 */
public record PolicyContent(Policy policy, String body, String hash, Optional<TlsRptRecord> tlsRpt) {

  public static final long DEFAULT_MAX_AGE = 604_800;

  /**
   * The content of a spec that passed {@link PolicySpecValidator}; with spec.discoverMx, the discovered MX hosts
   * join spec.mx.
   */
  static PolicyContent of(MtaStsPolicySpec spec, List<String> discoveredMx) {
    Stream<String> hosts = spec.getMx() == null ? Stream.empty() : spec.getMx().stream();
    if (spec.discoversMx()) {
      hosts = Stream.concat(hosts, discoveredMx.stream());
    }
    List<MxPattern> mx = hosts.map(MxPattern::parse).toList();
    long maxAge = spec.getMaxAge() == null ? DEFAULT_MAX_AGE : spec.getMaxAge();
    Policy policy = new Policy(mode(spec), mx, maxAge, List.of()).canonical();
    Optional<TlsRptRecord> tlsRpt = Optional.ofNullable(spec.getTlsRpt()).map(t -> TlsRptRecord.of(t.getRua()));
    return new PolicyContent(policy, PolicyRenderer.render(policy), PolicyHash.of(policy), tlsRpt);
  }

  private static Mode mode(MtaStsPolicySpec spec) {
    return switch (PolicySpecValidator.mode(spec)) {
      case ENFORCE -> Mode.ENFORCE;
      case TESTING -> Mode.TESTING;
      case NONE -> Mode.NONE;
    };
  }
}
