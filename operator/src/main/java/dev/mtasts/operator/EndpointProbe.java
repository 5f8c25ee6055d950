package dev.mtasts.operator;

import dev.mtasts.desired.ObjectNames;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.operator.status.ServedPolicy.Outcome;
import dev.mtasts.rfc.PolicyHash;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Fetches the policy from every ready endpoint of a Service, for each policy host, with that Host, as an ingress
 * controller would from whichever endpoint it picks: not through the Service's address, which picks one.
 */
final class EndpointProbe {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private EndpointProbe() {}

  /**
   * SERVED only when each endpoint answers the current policy for each host. No ready endpoint, or one that does
   * not answer, is no evidence that senders get the policy, so it holds the records back as a wrong answer would.
   */
  static ServedPolicy probe(Collection<EndpointSlice> slices, String namespace, String service, String portName,
      List<String> hosts, String expectedHash) {
    List<String> endpoints = ReadyEndpoints.of(slices, namespace, service, portName);
    if (endpoints.isEmpty()) {
      return new ServedPolicy(Outcome.WRONG_POLICY, "Service " + service + " has no ready endpoint yet");
    }
    for (String endpoint : endpoints) {
      int colon = endpoint.lastIndexOf(':');
      InetSocketAddress address = new InetSocketAddress(endpoint.substring(0, colon),
          Integer.parseInt(endpoint.substring(colon + 1)));
      for (String host : hosts) {
        String where = "http://" + endpoint + ObjectNames.POLICY_PATH + " (Host " + host + ")";
        try {
          EndpointFetch.Answer answer = EndpointFetch.get(address, host, ObjectNames.POLICY_PATH, TIMEOUT);
          String hash = PolicyHash.ofBytes(answer.body());
          if (answer.status() != 200 || !hash.equals(expectedHash)) {
            return new ServedPolicy(Outcome.WRONG_POLICY, where + " answered " + answer.status()
                + " with policy hash " + hash.substring(0, 12) + ", not the current "
                + expectedHash.substring(0, 12));
          }
        } catch (IOException | RuntimeException e) {
          return new ServedPolicy(Outcome.WRONG_POLICY, "the operator cannot reach " + where + " ("
              + e.getClass().getSimpleName() + "), and publishes only what every pod is seen to serve");
        }
      }
    }
    return new ServedPolicy(Outcome.SERVED, "all " + endpoints.size() + " ready endpoints of " + service
        + " serve the current policy for " + String.join(", ", hosts));
  }
}
