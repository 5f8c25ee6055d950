package dev.mtasts.testing.stack;

import dev.mtasts.operator.ReadyEndpoints;

import dev.mtasts.desired.ObjectNames;
import dev.mtasts.operator.ServedPolicyCheck;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.operator.status.ServedPolicy.Outcome;
import dev.mtasts.rfc.PolicyHash;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The operator's served-policy check as it runs in a cluster, where the Service's name leads through kube-proxy to
 * one ready pod. No kube-proxy runs here, so this asks every ready endpoint of the Service's EndpointSlices (which
 * the real EndpointSlice controller keeps) directly, and says SERVED only when all of them serve the policy.
 */
public final class EndpointsServedPolicyCheck implements ServedPolicyCheck {

  private final KubernetesClient client;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  public EndpointsServedPolicyCheck(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public ServedPolicy check(String namespace, String service, int port, String expectedHash) {
    List<String> endpoints = ReadyEndpoints.of(client.discovery().v1().endpointSlices().inNamespace(namespace)
        .withLabel("kubernetes.io/service-name", service).list().getItems(), namespace, service, null);
    if (endpoints.isEmpty()) {
      return new ServedPolicy(Outcome.UNREACHABLE, "Service " + service + " has no ready endpoints");
    }
    for (String endpoint : endpoints) {
      URI uri = URI.create("http://" + endpoint + ObjectNames.POLICY_PATH);
      try {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 || !PolicyHash.ofBytes(response.body()).equals(expectedHash)) {
          return new ServedPolicy(Outcome.WRONG_POLICY, uri + " does not serve the current policy");
        }
      } catch (IOException e) {
        return new ServedPolicy(Outcome.WRONG_POLICY, uri + " did not answer: " + e.getClass().getSimpleName());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ServedPolicy(Outcome.UNREACHABLE, "interrupted");
      }
    }
    return new ServedPolicy(Outcome.SERVED, "all " + endpoints.size() + " ready endpoints of " + service
        + " serve the current policy");
  }
}
