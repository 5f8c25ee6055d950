package dev.mtasts.operator;

import dev.mtasts.desired.ObjectNames;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.operator.status.ServedPolicy.Outcome;
import dev.mtasts.rfc.PolicyHash;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches the policy from the Service's cluster DNS name, as the Ingress would. Outside the cluster (or behind a
 * NetworkPolicy) the name does not resolve or the connection fails: that is UNREACHABLE, and the rollout decides.
 */
public final class HttpServedPolicyCheck implements ServedPolicyCheck {

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  @Override
  public ServedPolicy check(String namespace, String service, int port, String expectedHash) {
    return fetch(URI.create("http://" + service + "." + namespace + ".svc:" + port + ObjectNames.POLICY_PATH),
        expectedHash);
  }

  /** Fetches the policy at uri and compares its hash, without following redirects, as a sender would. */
  ServedPolicy fetch(URI uri, String expectedHash) {
    try {
      HttpResponse<byte[]> response = http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      String hash = PolicyHash.ofBytes(response.body());
      if (response.statusCode() == 200 && hash.equals(expectedHash)) {
        return new ServedPolicy(Outcome.SERVED, uri + " serves the current policy");
      }
      return new ServedPolicy(Outcome.WRONG_POLICY, uri + " answered " + response.statusCode() + " with policy hash "
          + hash.substring(0, 12) + ", not the current " + expectedHash.substring(0, 12));
    } catch (IOException e) {
      return new ServedPolicy(Outcome.UNREACHABLE, "the operator cannot reach " + uri + " ("
          + e.getClass().getSimpleName()
          + "), so the rollout alone decides");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ServedPolicy(Outcome.UNREACHABLE, "interrupted while fetching " + uri);
    }
  }
}
