package dev.mtasts.testing.stack;

import dev.mtasts.desired.ObjectNames;
import dev.mtasts.operator.EndpointFetch;
import dev.mtasts.operator.ReadyEndpoints;
import dev.mtasts.rfc.PolicyHash;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What each pod behind a Service serves for one policy host, sampled on every ready endpoint of its EndpointSlices
 * (as the EndpointSlice controller keeps them) with that Host: the view of an ingress controller, which may send a
 * sender to any of them. Independent of the operator's own probe, so it can tell when the operator published.
 */
public final class EndpointSampler implements AutoCloseable {

  /** One round: each ready endpoint's policy hash, empty where it answered no policy. */
  public record Round(Instant at, Map<String, Optional<String>> hashes) {
    /** Whether every ready endpoint served {@code hash} in this round (and there was one). */
    public boolean allServe(String hash) {
      return !hashes.isEmpty() && hashes.values().stream().allMatch(h -> h.filter(hash::equals).isPresent());
    }
  }

  private final List<Round> rounds = Collections.synchronizedList(new ArrayList<>());
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  private EndpointSampler(KubernetesClient client, String namespace, String service, String host, Duration every) {
    timer.scheduleWithFixedDelay(() -> {
      Map<String, Optional<String>> hashes = new LinkedHashMap<>();
      Instant at = Instant.now();
      try {
        for (String endpoint : ReadyEndpoints.of(client.discovery().v1().endpointSlices().inNamespace(namespace)
            .withLabel("kubernetes.io/service-name", service).list().getItems(), namespace, service, null)) {
          int colon = endpoint.lastIndexOf(':');
          Optional<String> hash;
          try {
            EndpointFetch.Answer answer = EndpointFetch.get(new InetSocketAddress(endpoint.substring(0, colon),
                Integer.parseInt(endpoint.substring(colon + 1))), host, ObjectNames.POLICY_PATH, Duration.ofSeconds(1));
            hash = answer.status() == 200 ? Optional.of(PolicyHash.ofBytes(answer.body())) : Optional.empty();
          } catch (IOException e) {
            hash = Optional.empty();
          }
          hashes.put(endpoint, hash);
        }
        rounds.add(new Round(at, hashes));
      } catch (RuntimeException e) {
        // The API server busy for a moment: the next round reads the slices again.
      }
    }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  public static EndpointSampler every(KubernetesClient client, String namespace, String service, String host,
      Duration every) {
    return new EndpointSampler(client, namespace, service, host, every);
  }

  public List<Round> rounds() {
    synchronized (rounds) {
      return List.copyOf(rounds);
    }
  }

  /** When every ready endpoint first served {@code hash}, and did so in every round after. */
  public Optional<Instant> allServeSince(String hash) {
    List<Round> all = rounds();
    Optional<Instant> since = Optional.empty();
    for (Round round : all) {
      if (!round.allServe(hash)) {
        since = Optional.empty();
      } else if (since.isEmpty()) {
        since = Optional.of(round.at());
      }
    }
    return since;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
