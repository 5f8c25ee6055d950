package dev.mtasts.tlsrpt;

import java.util.Arrays;
import java.util.Optional;

/** The "policy-type" of a report entry (RFC 8460 §4.4): which policy the sender applied. */
public enum PolicyType {
  STS("sts"),
  TLSA("tlsa"),
  NO_POLICY_FOUND("no-policy-found");

  private final String value;

  PolicyType(String value) {
    this.value = value;
  }

  /** As it is spelled in a report. */
  public String value() {
    return value;
  }

  /** The type a report spells {@code value}, if it is one of the three of RFC 8460 §4.4. */
  public static Optional<PolicyType> of(String value) {
    return Arrays.stream(values()).filter(t -> t.value.equals(value)).findFirst();
  }
}
