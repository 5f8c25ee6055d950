package dev.mtasts.testing.campaign;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One domain's MtaStsPolicy as the campaign keeps it in "Git": what senders see (mode, mx, maxAge) and what they do
 * not (replicas, TTL, an Ingress annotation, the issuer), or an invalid spec the API server lets through
 * (discoverMx for a domain without MX records).
 */
public record PolicyModel(String name, String domain, boolean hasMx, String mode, List<String> mx, long maxAge,
    int replicas, int ttl, String team, boolean otherIssuer, boolean discoverWithoutMx) {

  /** The ClusterIssuer an issuer edit switches to: the same CA, so senders notice nothing. */
  public static final String OTHER_ISSUER = "mtasts-test-ca-again";

  public static PolicyModel first(String name, String domain, boolean hasMx) {
    return new PolicyModel(name, domain, hasMx, "enforce", List.of(mx(domain, 1), mx(domain, 2)), 86400, 2, 60,
        "a", false, false);
  }

  static String mx(String domain, int n) {
    return "mx" + n + "." + domain;
  }

  /** Whether the operator must refuse it: nothing to publish, the published policy stays. */
  public boolean invalid() {
    return discoverWithoutMx;
  }

  /** A live MX host the mx list leaves out, in enforce mode: the operator publishes and says MxCovered=False. */
  public boolean uncovered() {
    return hasMx && !discoverWithoutMx && "enforce".equals(mode) && !mx.contains(mx(domain, 2))
        && !mx.contains("*." + domain);
  }

  /** What a sender would find in the policy file, to tell edits senders see from the others. */
  public String seen() {
    return discoverWithoutMx ? "invalid" : mode + " " + mx + " " + maxAge;
  }

  public PolicyModel withContent(String mode, List<String> mx, long maxAge) {
    return new PolicyModel(name, domain, hasMx, mode, mx, maxAge, replicas, ttl, team, otherIssuer, false);
  }

  public PolicyModel withUnseen(int replicas, int ttl, String team, boolean otherIssuer) {
    return new PolicyModel(name, domain, hasMx, mode, mx, maxAge, replicas, ttl, team, otherIssuer,
        discoverWithoutMx);
  }

  public PolicyModel discoveringWithoutMx() {
    return new PolicyModel(name, domain, hasMx, mode, mx, maxAge, replicas, ttl, team, otherIssuer, true);
  }

  /** The document {@code kubectl apply} would send. */
  public String yaml() {
    return yaml(name);
  }

  /** As above under another name: a second policy claiming the same domain. */
  public String yaml(String policyName) {
    String mxLine = discoverWithoutMx ? "  discoverMx: true\n"
        : "  mx: [" + mx.stream().map(m -> "\"" + m + "\"").collect(Collectors.joining(", ")) + "]\n";
    String issuer = otherIssuer
        ? "  certificate: {issuerRef: {name: " + OTHER_ISSUER + ", kind: ClusterIssuer, group: cert-manager.io}}\n"
        : "";
    return """
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata:
          name: %s
        spec:
          domains: [%s]
          mode: %s
        %s  maxAge: %d
          server: {replicas: %d}
          dns: {ttl: %d}
          ingress: {annotations: {campaign.mtasts.dev/team: "%s"}}
        %s""".formatted(policyName, domain, mode, mxLine, maxAge, replicas, ttl, team, issuer);
  }
}
