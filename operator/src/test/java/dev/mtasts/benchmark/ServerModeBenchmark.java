package dev.mtasts.benchmark;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.SharedPolicyServer;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.stack.EndpointSampler;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The two server modes side by side on the real stack, in one run: N policies (300 by default) applied at once to
 * one namespace with every policy Dedicated, then to another with every policy Shared; for each the policy server
 * pods, what they request, and the time until every policy is Ready and its id answers in DNS. Then a change to one
 * policy among the N: when every endpoint that serves its host first served the new policy (sampled on each pod
 * with the host's Host header), when DNS first named the new id (sampled as a sender), and whether any of the other
 * ids moved. Prints figures and ratios; a broken order is printed as such and makes the run fail.
 *
 * <p>Run with {@code ./mvnw -q -Pserver-mode-benchmark -DskipTests verify [-Dbenchmark.policies=300]}.
 */
public final class ServerModeBenchmark {

  static final Duration TIMEOUT = Duration.ofMinutes(30);

  record Figures(ServerMode mode, int pods, long cpuMillis, long memoryMiB, double ready, double inDns,
      Change change) {}

  record Change(double allEndpointsServe, double newIdInDns, int endpoints, long aheadOfPolicy, int othersMoved,
      double newIdReady) {
    boolean orderHeld() {
      return aheadOfPolicy == 0 && newIdInDns >= allEndpointsServe && othersMoved == 0;
    }
  }

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(System.getProperty("benchmark.policies", "300"));
    long start = System.nanoTime();
    List<Figures> figures = new ArrayList<>();
    try (RealStack stack = RealStack.start(Files.createTempDirectory("mtasts-server-mode-benchmark"))) {
      System.out.printf("real stack up in %.1f s, %d cores, %d nodes; %d policies per mode%n",
          (System.nanoTime() - start) / 1e9, Runtime.getRuntime().availableProcessors(), RealStack.NODES.size(), n);
      for (ServerMode mode : List.of(ServerMode.DEDICATED, ServerMode.SHARED)) {
        figures.add(run(stack, mode, n));
      }
    }
    System.out.printf("%n%-10s %6s %10s %12s %16s %18s%n", "mode", "pods", "cpu req", "memory req",
        "-> all Ready", "-> all ids in DNS");
    for (Figures f : figures) {
      System.out.printf("%-10s %6d %8d m %9d Mi %14.1f s %16.1f s%n", f.mode().spelled(), f.pods(), f.cpuMillis(),
          f.memoryMiB(), f.ready(), f.inDns());
    }
    Figures dedicated = figures.get(0);
    Figures shared = figures.get(1);
    System.out.printf("ratio dedicated/shared: pods %.0fx, cpu %.0fx, memory %.0fx, time to all Ready %.2fx%n",
        (double) dedicated.pods() / shared.pods(), (double) dedicated.cpuMillis() / shared.cpuMillis(),
        (double) dedicated.memoryMiB() / shared.memoryMiB(), dedicated.ready() / shared.ready());
    System.out.printf("%nchange of one policy among %d (seconds after the apply):%n", n);
    System.out.printf("%-10s %10s %22s %18s %14s %16s %14s%n", "mode", "endpoints", "every endpoint serves",
        "new id in DNS", "Ready", "new id, old URL", "others moved");
    boolean held = true;
    for (Figures f : figures) {
      Change c = f.change();
      System.out.printf("%-10s %10d %20.1f s %16.1f s %12.1f s %16d %14d%s%n", f.mode().spelled(), c.endpoints(),
          c.allEndpointsServe(), c.newIdInDns(), c.newIdReady(), c.aheadOfPolicy(), c.othersMoved(),
          c.orderHeld() ? "" : "   ORDER BROKEN");
      held &= c.orderHeld();
    }
    if (!held) {
      throw new IllegalStateException("the order did not hold: see the table above");
    }
  }

  static Figures run(RealStack stack, ServerMode mode, int n) throws Exception {
    String namespace = "bench-" + mode.spelled().toLowerCase();
    KubernetesClient client = stack.client();
    StackPolicies policies = new StackPolicies(stack, namespace);
    try (RunningOperator operator = policies.startOperator(RealStack.operatorSettings().withServerMode(mode),
        RealStack.DNS_PUBLISH_TIMEOUT)) {
      List<String> names = IntStream.range(0, n).mapToObj(i -> "p" + i).toList();
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (String name : names) {
        pool.execute(() -> policies.apply(yaml(name, "mx1." + domain(name))));
      }
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.MINUTES);
      double[] seconds = awaitAll(stack, client, namespace, names, t0);
      System.out.printf("%s: every policy Ready in %.1f s, every id in DNS in %.1f s%n", mode.spelled(), seconds[0],
          seconds[1]);
      List<Pod> pods = client.pods().inNamespace(namespace).list().getItems().stream()
          .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
      long cpu = 0;
      long memory = 0;
      for (Pod pod : pods) {
        for (var container : pod.getSpec().getContainers()) {
          Map<String, Quantity> requests = container.getResources().getRequests();
          cpu += Quantity.getAmountInBytes(requests.get("cpu")).multiply(java.math.BigDecimal.valueOf(1000))
              .longValue();
          memory += Quantity.getAmountInBytes(requests.get("memory")).longValue() / (1024 * 1024);
        }
      }
      Change change = change(stack, client, policies, namespace, mode, names);
      for (String name : names) {
        client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(name).delete();
      }
      awaitUntil(() -> client.pods().inNamespace(namespace).list().getItems().isEmpty(), "the pods gone");
      return new Figures(mode, pods.size(), cpu, memory, seconds[0], seconds[1], change);
    }
  }

  /** Seconds from t0 until every policy is Ready, and until every id answers in DNS. */
  static double[] awaitAll(RealStack stack, KubernetesClient client, String namespace, List<String> names,
      long t0) {
    Set<String> notInDns = new HashSet<>(names);
    Set<String> notReady = new HashSet<>(names);
    double[] seconds = {-1, -1};
    awaitUntil(() -> {
      Map<String, String> ids = ids(client, namespace, notReady);
      notInDns.removeIf(name -> ids.containsKey(name)
          && stack.senderView(domain(name)).dnsId().equals(Optional.of(ids.get(name))));
      double now = (System.nanoTime() - t0) / 1e9;
      if (notReady.isEmpty() && seconds[0] < 0) {
        seconds[0] = now;
      }
      if (notInDns.isEmpty() && seconds[1] < 0) {
        seconds[1] = now;
      }
      return seconds[0] >= 0 && seconds[1] >= 0;
    }, "every policy Ready and in DNS");
    return seconds;
  }

  /** The ids in status; removes the Ready ones from {@code notReady}. */
  static Map<String, String> ids(KubernetesClient client, String namespace, Set<String> notReady) {
    Map<String, String> ids = new HashMap<>();
    for (MtaStsPolicy policy : client.resources(MtaStsPolicy.class).inNamespace(namespace).list().getItems()) {
      if (policy.getStatus() != null && policy.getStatus().getPolicyId() != null) {
        ids.put(policy.getMetadata().getName(), policy.getStatus().getPolicyId());
      }
      if (StackPolicies.condition(policy, "Ready").filter(c -> "True".equals(c.getStatus())).isPresent()) {
        notReady.remove(policy.getMetadata().getName());
      }
    }
    return ids;
  }

  static Change change(RealStack stack, KubernetesClient client, StackPolicies policies, String namespace,
      ServerMode mode, List<String> names) {
    String name = names.get(names.size() / 2);
    Map<String, String> before = ids(client, namespace, new HashSet<>());
    MtaStsPolicy old = policies.get(name);
    String service = mode == ServerMode.SHARED ? SharedPolicyServer.NAME : ObjectNames.policyServer(old);
    String oldId = old.getStatus().getPolicyId();
    String oldHash = old.getStatus().getPolicyHash();
    List<SenderView.Sample> samples;
    Optional<Instant> allServe;
    int endpoints;
    Instant applied;
    Instant ready;
    MtaStsPolicy changed;
    try (EndpointSampler pods = EndpointSampler.every(client, namespace, service,
        ObjectNames.policyHost(domain(name)), Duration.ofMillis(100));
        SenderView.Recording sender = stack.senderView(domain(name)).every(Duration.ofMillis(100))) {
      applied = Instant.now();
      policies.apply(yaml(name, "mx1." + domain(name) + ", mx2." + domain(name)));
      changed = policies.awaitReady(policies.awaitNewId(name, oldId, Duration.ofMinutes(10)), Duration.ofMinutes(5));
      ready = Instant.now();
      policies.awaitSenderSees(domain(name), changed.getStatus().getPolicyId(), changed.getStatus().getPolicyHash(),
          Duration.ofMinutes(2));
      samples = sender.samples();
      allServe = pods.allServeSince(changed.getStatus().getPolicyHash());
      endpoints = pods.rounds().isEmpty() ? 0 : pods.rounds().get(pods.rounds().size() - 1).hashes().size();
    }
    String newId = changed.getStatus().getPolicyId();
    Optional<Instant> inDns = samples.stream().filter(s -> s.id().filter(newId::equals).isPresent())
        .map(SenderView.Sample::at).findFirst();
    long ahead = samples.stream().filter(s -> s.id().filter(newId::equals).isPresent()
        && s.policyHash().filter(oldHash::equals).isPresent()).count();
    Map<String, String> after = ids(client, namespace, new HashSet<>());
    int moved = (int) names.stream().filter(other -> !other.equals(name))
        .filter(other -> !before.get(other).equals(after.get(other))
            || !stack.senderView(domain(other)).dnsId().equals(Optional.of(before.get(other))))
        .count();
    return new Change(seconds(applied, allServe.orElse(Instant.MAX)), seconds(applied, inDns.orElse(Instant.MIN)),
        endpoints, ahead, moved, seconds(applied, ready));
  }

  static double seconds(Instant from, Instant to) {
    if (to.equals(Instant.MAX)) {
      return Double.POSITIVE_INFINITY;
    }
    if (to.equals(Instant.MIN)) {
      return Double.NEGATIVE_INFINITY;
    }
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  static String domain(String name) {
    return name + ".example.net";
  }

  /** With the operator's defaults for replicas: two per dedicated server, as a platform team runs them. */
  static String yaml(String name, String mx) {
    return """
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata:
          name: %s
        spec:
          domains: [%s]
          mode: enforce
          mx: [%s]
          maxAge: 86400
        """.formatted(name, domain(name), mx);
  }

  static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(what + ": not within " + TIMEOUT);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
