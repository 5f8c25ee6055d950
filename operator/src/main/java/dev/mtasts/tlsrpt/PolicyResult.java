package dev.mtasts.tlsrpt;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a report's "policies" array (RFC 8460 §4.4): the policy a sender applied to one domain, its session
 * totals and the failure details.
 *
 * @param policyString the policy as the sender saw it, one line per element; empty when the sender left it out
 * @param policyDomain lower-case
 * @param mxHosts the "mx-host" patterns; senders send a string or an array (erratum 6241), both end up here
 */
public record PolicyResult(
    PolicyType policyType,
    List<String> policyString,
    String policyDomain,
    List<String> mxHosts,
    long totalSuccessfulSessions,
    long totalFailureSessions,
    List<FailureDetail> failureDetails) {

  public PolicyResult {
    Objects.requireNonNull(policyType, "policyType");
    policyString = List.copyOf(policyString);
    Objects.requireNonNull(policyDomain, "policyDomain");
    mxHosts = List.copyOf(mxHosts);
    failureDetails = List.copyOf(failureDetails);
  }
}
