package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.MtaStsPolicySpec;
import dev.mtasts.api.v1alpha1.TlsReporting;
import dev.mtasts.rfc.Mode;
import dev.mtasts.rfc.MxPattern;
import dev.mtasts.rfc.Policy;
import dev.mtasts.rfc.PolicyHash;
import dev.mtasts.rfc.PolicyRenderer;
import dev.mtasts.rfc.TlsRptRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What senders see of a MtaStsPolicy, in RFC terms: the canonical policy, the served body and its hash, and the
 * TLS-RPT destinations. Replicas, ingress class, TTL and annotations are not part of it, so they never change the id.
 *
 * @param rua the report destinations the spec lists
 * @param receivesReports whether each domain's record also names the operator's receiver on its policy host
 */
public record PolicyContent(Policy policy, String body, String hash, List<String> rua, boolean receivesReports) {

  public PolicyContent {
    rua = List.copyOf(rua);
  }

  public static final long DEFAULT_MAX_AGE = 604_800;

  /**
   * The content of a spec that passed {@link PolicySpecValidator}; with spec.discoverMx, the discovered MX hosts
   * join spec.mx.
   */
  static PolicyContent of(MtaStsPolicySpec spec, List<String> discoveredMx) {
    return of(spec, discoveredMx, Optional.empty());
  }

  /** With the mode a rollout gate serves instead of spec.mode, when there is one. */
  static PolicyContent of(MtaStsPolicySpec spec, List<String> discoveredMx, Optional<Mode> served) {
    Stream<String> hosts = spec.getMx() == null ? Stream.empty() : spec.getMx().stream();
    if (spec.discoversMx()) {
      hosts = Stream.concat(hosts, discoveredMx.stream());
    }
    List<MxPattern> mx = hosts.map(MxPattern::parse).toList();
    long maxAge = spec.getMaxAge() == null ? DEFAULT_MAX_AGE : spec.getMaxAge();
    Policy policy = new Policy(served.orElse(mode(spec)), mx, maxAge, List.of()).canonical();
    TlsReporting tlsRpt = spec.getTlsRpt();
    List<String> rua = tlsRpt == null || tlsRpt.getRua() == null ? List.of() : tlsRpt.getRua();
    boolean receives = tlsRpt != null && tlsRpt.receives();
    return new PolicyContent(policy, PolicyRenderer.render(policy), PolicyHash.of(policy), rua, receives);
  }

  /** The {@code _smtp._tls} record of {@code domain}, if the policy asks for reports. */
  public Optional<TlsRptRecord> tlsRptFor(String domain) {
    List<String> all = new ArrayList<>(rua);
    if (receivesReports) {
      all.add(receiverUri(domain));
    }
    return all.isEmpty() ? Optional.empty() : Optional.of(TlsRptRecord.of(all));
  }

  /** Where senders POST reports for {@code domain} when the operator receives them (RFC 8460 §3, https:). */
  public static String receiverUri(String domain) {
    return "https://mta-sts." + domain + TlsReporting.RECEIVE_PATH;
  }

  private static Mode mode(MtaStsPolicySpec spec) {
    return switch (PolicySpecValidator.mode(spec)) {
      case ENFORCE -> Mode.ENFORCE;
      case TESTING -> Mode.TESTING;
      case NONE -> Mode.NONE;
    };
  }
}
