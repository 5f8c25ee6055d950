package dev.mtasts.tlsrpt;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a policy's "failure-details" (RFC 8460 §4.4): a kind of failure and how many sessions met it.
 *
 * @param resultType as the report spells it; RFC 8460 §4.3 lists the known ones, others are kept as they are
 */
public record FailureDetail(
    String resultType,
    Optional<String> sendingMtaIp,
    Optional<String> receivingMxHostname,
    Optional<String> receivingMxHelo,
    Optional<String> receivingIp,
    long failedSessionCount,
    Optional<String> additionalInformation,
    Optional<String> failureReasonCode) {

  public FailureDetail {
    Objects.requireNonNull(resultType, "resultType");
    Objects.requireNonNull(sendingMtaIp, "sendingMtaIp");
    Objects.requireNonNull(receivingMxHostname, "receivingMxHostname");
    Objects.requireNonNull(receivingMxHelo, "receivingMxHelo");
    Objects.requireNonNull(receivingIp, "receivingIp");
    Objects.requireNonNull(additionalInformation, "additionalInformation");
    Objects.requireNonNull(failureReasonCode, "failureReasonCode");
  }
}
