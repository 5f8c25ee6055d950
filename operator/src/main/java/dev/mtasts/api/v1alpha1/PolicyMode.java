package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code mode} of the policy, as written in the resource (RFC 8461 §5). */
public enum PolicyMode {
  /** Senders must not deliver to an MX host that fails validation. */
  @JsonProperty("enforce")
  ENFORCE,
  /** Senders deliver anyway but report failures through TLS-RPT. */
  @JsonProperty("testing")
  TESTING,
  /** Senders treat the domain as having no active policy; used to retire a policy. */
  @JsonProperty("none")
  NONE
}
