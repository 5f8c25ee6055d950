package dev.mtasts.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whose listeners serve the policy hosts of a Gateway-exposed policy. */
public enum GatewayListeners {
  /** The operator's own ListenerSet, one HTTPS listener per policy host with the policy's certificate. */
  @JsonProperty("ListenerSet")
  LISTENER_SET,
  /** The Gateway's own listener, which already covers the policy hosts: only the routes are ours. */
  @JsonProperty("Gateway")
  GATEWAY
}
