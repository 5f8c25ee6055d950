package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Which policy server serves a policy's file. Switching never changes the policy id. */
public enum ServerMode {
  /**
   * One policy server per namespace, for every policy of the namespace in this mode: each policy host is served by
   * its Host header from that policy's own ConfigMap.
   */
  @JsonProperty("Shared")
  SHARED,
  /** The policy's own nginx Deployment and Service. */
  @JsonProperty("Dedicated")
  DEDICATED;

  /** As written in the spec and on the command line. */
  public String spelled() {
    return this == SHARED ? "Shared" : "Dedicated";
  }
}
