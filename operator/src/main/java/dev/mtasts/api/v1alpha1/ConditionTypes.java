package dev.mtasts.api.v1alpha1;

/** The condition types of {@code status.conditions}; each says what True means. */
public final class ConditionTypes {

  /**
   * True when the policy server has rolled out the pods that carry the current policy hash (as {@code kubectl
   * rollout status} means it) and, where the operator can reach it, serves exactly the current policy.
   */
  public static final String POLICY_SERVED = "PolicyServed";

  /** True when cert-manager reports the Certificate for every {@code mta-sts.<domain>} Ready. */
  public static final String CERTIFICATE_READY = "CertificateReady";

  /**
   * True when the DNSEndpoint carries the current policy id for every claimed domain and external-dns has read it
   * (its observedGeneration). Only a DNS query proves the record is live.
   */
  public static final String DNS_PUBLISHED = "DnsPublished";

  /**
   * True when every live MX host of every published domain matches one of the policy's mx patterns (RFC 8461
   * §4.1); polled on a schedule. In enforce mode, senders refuse to deliver to an MX host that is not covered.
   */
  public static final String MX_COVERED = "MxCovered";

  /**
   * True when senders can use the current policy: valid, no domain conflict, every object applied, served,
   * certified and published; in enforce mode also every live MX host covered (MxCovered not False).
   */
  public static final String READY = "Ready";

  private ConditionTypes() {}
}
