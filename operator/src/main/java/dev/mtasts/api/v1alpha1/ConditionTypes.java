package dev.mtasts.api.v1alpha1;

/** The condition types of {@code status.conditions}; each says what True means. */
public final class ConditionTypes {

  /**
   * True when the policy server has rolled out the pods that carry the current policy hash (as {@code kubectl
   * rollout status} means it) and, where the operator can reach them, the Service and, before each new id, every
   * {@code https://mta-sts.<domain>} URL as a sender fetches it serve exactly the current policy.
   */
  public static final String POLICY_SERVED = "PolicyServed";

  /**
   * Only for a policy exposed through a Gateway: True when the Gateway's controller reports every HTTPRoute
   * Accepted with its references resolved and, with the operator's ListenerSet, the ListenerSet Accepted and
   * Programmed and every listener Accepted, Programmed and with its certificate resolved; otherwise the message is
   * the Gateway's own (listener not allowed from this namespace, hostname conflict, Secret not found).
   */
  public static final String GATEWAY_ACCEPTED = "GatewayAccepted";

  /** True when cert-manager reports the Certificate for every {@code mta-sts.<domain>} Ready. */
  public static final String CERTIFICATE_READY = "CertificateReady";

  /**
   * True when DNS answers exactly the current {@code _mta-sts} record (and {@code _smtp._tls} record, where one is
   * published) for every claimed domain, at every authoritative server of its zone or at the resolver given to
   * the operator. With the DNS check turned off (--dns-check-interval=PT0S) it says only that external-dns has read
   * the DNSEndpoint (its observedGeneration), reason AcceptedByExternalDns.
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

  /**
   * With spec.tlsRpt: True when the TLS-RPT reports received in the last 14 days report no failed session,
   * False when they report some (the message says which result types at which MX), Unknown until the first report.
   * Not part of Ready: in testing mode, reported failures are what the reports are for.
   */
  public static final String REPORTS_CLEAN = "ReportsClean";

  /**
   * With spec.rollout: True once the rollout gate is met and enforce mode is served; False while testing is
   * served, the message saying what the gate waits for ("3 of 14 clean days; 1 of 2 organizations; ...").
   */
  public static final String ROLLOUT_GATE = "RolloutGate";

  private ConditionTypes() {}
}
