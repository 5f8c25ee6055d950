package dev.mtasts.api.v1alpha1;

/** Every condition reason the operator writes, one CamelCase word each. */
public final class Reasons {

  /** The spec breaks a rule the schema could not check; the message names the field. */
  public static final String INVALID_SPEC = "InvalidSpec";
  /** An older MtaStsPolicy claims one of the domains; nothing is published for it here. */
  public static final String DOMAIN_CONFLICT = "DomainConflict";
  /** The API server refused to apply an owned object; the message names it and says why. */
  public static final String APPLY_FAILED = "ApplyFailed";
  /** The policy server's pods with the current policy are not all updated and available yet. */
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
  /** The rollout did not progress within its deadline. */
  public static final String ROLLOUT_STALLED = "RolloutStalled";
  /** The pods are rolled out, but the policy fetched from the Service is not the current one. */
  public static final String POLICY_NOT_SERVED = "PolicyNotServed";
  /** The current policy is served. */
  public static final String POLICY_SERVED = "PolicyServed";
  /** cert-manager has not (yet) issued the certificate. */
  public static final String CERTIFICATE_NOT_READY = "CertificateNotReady";
  /** cert-manager reports the certificate Ready. */
  public static final String CERTIFICATE_ISSUED = "CertificateIssued";
  /** The TXT records wait for the policy to be served (and, the first time, certified). */
  public static final String WAITING_FOR_POLICY = "WaitingForPolicy";
  /** The DNSEndpoint holds the records; external-dns has not read this version yet. */
  public static final String WAITING_FOR_EXTERNAL_DNS = "WaitingForExternalDns";
  /** external-dns has read the DNSEndpoint with the current records; the operator does not look at DNS. */
  public static final String ACCEPTED_BY_EXTERNAL_DNS = "AcceptedByExternalDns";
  /** The records are handed to DNS; DNS does not answer them yet (the message says what it answers). */
  public static final String WAITING_FOR_DNS = "WaitingForDns";
  /**
   * DNS still does not answer the records --dns-publish-timeout after they were handed over: external-dns's
   * flags (TXT in --managed-record-types, --domain-filter, the provider's TXT encoding) are worth a look.
   */
  public static final String DNS_NOT_ANSWERING = "DnsNotAnswering";
  /** Every server asked answers exactly the current records. */
  public static final String DNS_ANSWERS = "DnsAnswers";
  /** A live MX host matches none of the policy's mx patterns. */
  public static final String MX_NOT_COVERED = "MxNotCovered";
  /** Every live MX host matches a pattern of the policy. */
  public static final String MX_COVERED = "MxCovered";
  /** The MX lookup of a domain failed; coverage is unknown. */
  public static final String MX_LOOKUP_FAILED = "MxLookupFailed";
  /** The operator runs with the MX check turned off (--mx-check-interval=0). */
  public static final String MX_CHECK_DISABLED = "MxCheckDisabled";
  /** Everything senders need is in place. */
  public static final String PUBLISHED = "Published";
  /** Not evaluated yet on this generation. */
  public static final String PENDING = "Pending";

  private Reasons() {}
  /** No TLS-RPT report was received in the window yet. */
  public static final String NO_REPORTS = "NoReports";
  /** The reports in the window report no failed session. */
  public static final String NO_FAILURES_REPORTED = "NoFailuresReported";
  /** The reports in the window report failed sessions; the message says which. */
  public static final String FAILURES_REPORTED = "FailuresReported";
  /** Through a Gateway: it accepted every route and, with our ListenerSet, programmed every listener. */
  public static final String ROUTES_ACCEPTED = "RoutesAccepted";
  /** Through a Gateway: a route or the ListenerSet is not there yet, or no controller has reported on it. */
  public static final String WAITING_FOR_GATEWAY = "WaitingForGateway";
  /** Through a Gateway: it refused a route or could not resolve its references; the message is the Gateway's. */
  public static final String ROUTE_NOT_ACCEPTED = "RouteNotAccepted";
  /** Through a Gateway: it refused our ListenerSet or one of its listeners; the message is the Gateway's. */
  public static final String LISTENER_NOT_READY = "ListenerNotReady";
  /** The rollout gate is met: enforce mode is served. */
  public static final String GATE_MET = "GateMet";
  /** The rollout gate is not met yet: testing mode is served; the message says what it waits for. */
  public static final String GATE_NOT_MET = "GateNotMet";
}
