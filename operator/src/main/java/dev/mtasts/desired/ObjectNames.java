package dev.mtasts.desired;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.rfc.PolicyHash;

/**
 * Names of the objects owned by one MtaStsPolicy, and the names senders look up. The CRD caps metadata.name at
 * 48 characters so that every name here stays a valid DNS-1035 label.
 */
public final class ObjectNames {

  /** Where senders fetch the policy (RFC 8461 §3.3). */
  public static final String POLICY_PATH = "/.well-known/mta-sts.txt";

  /**
   * The shared policy server of a namespace (its Deployment, Service, PodDisruptionBudget and ConfigMap): no name
   * of a policy's own objects ends in "-shared-server", so none can take it.
   */
  public static final String SHARED_SERVER = "mta-sts-shared-server";

  private ObjectNames() {}

  public static String configMap(MtaStsPolicy policy) {
    return configMap(policy.getMetadata().getName());
  }

  /** The ConfigMap of the policy named {@code policy}. */
  public static String configMap(String policy) {
    return policy + "-policy";
  }

  public static String policyServer(MtaStsPolicy policy) {
    return policy.getMetadata().getName() + "-policy-server";
  }

  /** The Service that serves the policy in {@code mode}: its own, or the namespace's shared one. */
  public static String policyServer(MtaStsPolicy policy, ServerMode mode) {
    return mode == ServerMode.SHARED ? SHARED_SERVER : policyServer(policy);
  }

  public static String ingress(MtaStsPolicy policy) {
    return policy.getMetadata().getName() + "-policy";
  }

  /** The ListenerSet with the policy hosts' HTTPS listeners, when exposed through a Gateway with our own. */
  public static String listenerSet(MtaStsPolicy policy) {
    return policy.getMetadata().getName() + "-policy";
  }

  /**
   * The HTTPRoute of one policy host: the policy's name and the domain, so that {@code kubectl get httproute}
   * reads as what it routes; a hash of the domain where that would pass 253 characters. Stable under reordering
   * of spec.domains.
   */
  public static String httpRoute(MtaStsPolicy policy, String domain) {
    String readable = policy.getMetadata().getName() + "-" + domain;
    return readable.length() <= 253 ? readable
        : policy.getMetadata().getName() + "-" + PolicyHash.ofBody(domain).substring(0, 16);
  }

  /** The listener of one policy host in the ListenerSet: the host itself (a DNS name, as listener names are). */
  public static String listener(String domain) {
    return policyHost(domain);
  }

  public static String certificate(MtaStsPolicy policy) {
    return policy.getMetadata().getName() + "-policy-tls";
  }

  public static String tlsSecret(MtaStsPolicy policy) {
    return certificate(policy);
  }

  public static String dnsEndpoint(MtaStsPolicy policy) {
    return policy.getMetadata().getName() + "-txt";
  }

  /** RFC 8461 §3.3: the policy host. */
  /**
   * A stored report: the policy's name and a hash of the sender and its report-id (RFC 8460 §4.4 makes report-id
   * unique per sender), so the same report received twice, by mail and over HTTPS or on two replicas, is one object.
   */
  public static String report(MtaStsPolicy policy, String organization, String reportId) {
    return policy.getMetadata().getName() + "-" + PolicyHash.ofBody(organization + "\n" + reportId).substring(0, 16);
  }

  public static String policyHost(String domain) {
    return "mta-sts." + domain;
  }

  public static String policyUrl(String domain) {
    return "https://" + policyHost(domain) + POLICY_PATH;
  }

  /** RFC 8461 §3.1: the name of the policy's TXT record. */
  public static String stsRecordName(String domain) {
    return "_mta-sts." + domain;
  }

  /** RFC 8460 §3: the name of the TLS reporting TXT record. */
  public static String tlsRptRecordName(String domain) {
    return "_smtp._tls." + domain;
  }
}
