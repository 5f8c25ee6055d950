package dev.mtasts.benchmark;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.stack.RealStack;
import dev.mtasts.testing.stack.SenderView;
import dev.mtasts.testing.stack.StackPolicies;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * The operator on the real stack, figures from one run (asserts nothing): for N policies applied at once, the time
 * until every domain's id answers in DNS; for one policy, the time from apply (first publication) and from a
 * change until the id answers in DNS, split into the steps that happen in between: the rollout (Deployment
 * controller, scheduler, kwok, the kubelet stand-in), the certificate (cert-manager), the operator writing the
 * DNSEndpoint, external-dns writing the record into the DNS server's etcd, and CoreDNS answering it.
 *
 * <p>Run with {@code ./mvnw -q -Pbenchmark -DskipTests verify [-Dbenchmark.stackSizes=1,100,500]}.
 */
public final class StackBenchmark {

  static final String NAMESPACE = "bench";
  static final Duration TIMEOUT = Duration.ofMinutes(15);

  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream(System.getProperty("benchmark.stackSizes", "1,100,500").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    long start = System.nanoTime();
    try (RealStack stack = RealStack.start(Files.createTempDirectory("mtasts-stack-benchmark"))) {
      System.out.printf("real stack up in %.1f s, %d cores%n", (System.nanoTime() - start) / 1e9,
          Runtime.getRuntime().availableProcessors());
      StackPolicies policies = new StackPolicies(stack, NAMESPACE);
      try (RunningOperator operator = policies.startOperator()) {
        steps(stack, policies);
        System.out.printf("%6s %26s %20s %22s%n", "N", "apply -> every id in DNS", "per policy",
            "-> every policy Ready");
        for (int n : sizes) {
          double[] seconds = allInDns(stack, policies, n);
          System.out.printf("%6d %24.1f s %18.0f ms %20.1f s%n", n, seconds[0], seconds[0] * 1000 / n, seconds[1]);
        }
      }
    }
  }

  /** One policy: first publication, then a change, each split into its steps. */
  static void steps(RealStack stack, StackPolicies policies) throws Exception {
    String domain = "steps.example.org";
    String yaml = policyYaml("steps", domain, "mx1." + domain);
    long t0 = System.nanoTime();
    policies.apply(yaml);
    print("first publication", stack, policies, "steps", domain, t0, Optional.empty());
    String oldId = policies.get("steps").getStatus().getPolicyId();
    t0 = System.nanoTime();
    policies.apply(policyYaml("steps", domain, "mx1." + domain + ", mx2." + domain));
    print("policy change", stack, policies, "steps", domain, t0, Optional.of(oldId));
  }

  /** Prints the steps of a publication; for a change, previousId is the id the steps must get past. */
  static void print(String what, RealStack stack, StackPolicies policies, String name, String domain, long t0,
      Optional<String> previousId) {
    boolean first = previousId.isEmpty();
    KubernetesClient client = stack.client();
    SenderView view = stack.senderView(domain);
    // Each step's time is when a poll first sees it done; all are polled together, every 20 ms plus the poll.
    double[] done = {-1, -1, -1, -1, -1, -1};
    until(t0, () -> {
      MtaStsPolicy policy = policies.get(name);
      String allocated = policy.getStatus() == null ? null : policy.getStatus().getPolicyId();
      // Until status carries the new id, every step below would still see the old publication as done.
      String id = previousId.filter(p -> p.equals(allocated)).isPresent() ? null : allocated;
      List<BooleanSupplier> steps = List.of(
          () -> id != null && rolledOut(client, policy),
          () -> certificateReady(client, policy),
          () -> id != null && endpointHas(client, policy, id),
          () -> id != null && stack.dnsStore(ObjectNames.stsRecordName(domain)).contains("id=" + id),
          () -> id != null && view.sample().id().equals(Optional.of(id)),
          // The operator's own DNS check saw it: what makes DnsPublished (and Ready) True.
          () -> id != null && StackPolicies.condition(policy, "DnsPublished")
              .filter(c -> "True".equals(c.getStatus()) && c.getMessage().contains(id)).isPresent());
      // Latest step first: a step that completes during the poll is then never timed before one it follows.
      for (int k = done.length - 1; k >= 0; k--) {
        if (done[k] < 0 && steps.get(k).getAsBoolean()) {
          done[k] = (System.nanoTime() - t0) / 1e9;
        }
      }
      return Arrays.stream(done).allMatch(d -> d >= 0);
    });
    System.out.printf("%s, seconds from apply: rollout done %.2f, certificate %s, DNSEndpoint carries the id %.2f,"
        + " external-dns wrote it to etcd %.2f, DNS answers it %.2f, DnsPublished True %.2f%n", what, done[0],
        first ? String.format("ready %.2f", done[1]) : "unchanged", done[2], done[3], done[4], done[5]);
  }

  /**
   * Applies n policies at once and returns the seconds until each one's id answers in DNS, and until each one is
   * Ready (the operator has seen DNS answer too); then deletes them.
   */
  static double[] allInDns(RealStack stack, StackPolicies policies, int n) throws Exception {
    KubernetesClient client = stack.client();
    List<String> names = IntStream.range(0, n).mapToObj(i -> "n" + n + "-" + i).toList();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    for (String name : names) {
      pool.execute(() -> policies.apply(policyYaml(name, name + ".example.net", "mx1." + name + ".example.net")));
    }
    pool.shutdown();
    pool.awaitTermination(5, TimeUnit.MINUTES);
    Set<String> waiting = new HashSet<>(names);
    Set<String> notReady = new HashSet<>(names);
    double[] seconds = {-1, -1};
    until(t0, () -> {
      Map<String, String> ids = new HashMap<>();
      for (MtaStsPolicy policy : client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).list().getItems()) {
        if (policy.getStatus() != null && policy.getStatus().getPolicyId() != null) {
          ids.put(policy.getMetadata().getName(), policy.getStatus().getPolicyId());
        }
        if (StackPolicies.condition(policy, "Ready").filter(c -> "True".equals(c.getStatus())).isPresent()) {
          notReady.remove(policy.getMetadata().getName());
        }
      }
      waiting.removeIf(name -> ids.containsKey(name)
          && stack.senderView(name + ".example.net").dnsId().equals(Optional.of(ids.get(name))));
      double now = (System.nanoTime() - t0) / 1e9;
      if (waiting.isEmpty() && seconds[0] < 0) {
        seconds[0] = now;
      }
      if (notReady.isEmpty() && seconds[1] < 0) {
        seconds[1] = now;
      }
      return seconds[0] >= 0 && seconds[1] >= 0;
    });
    for (String name : names) {
      client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName(name).delete();
    }
    until(System.nanoTime(), () -> client.pods().inNamespace(NAMESPACE).list().getItems().size() <= 1);
    return seconds;
  }

  static String policyYaml(String name, String domain, String mx) {
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
          server: {replicas: 1}
        """.formatted(name, domain, mx);
  }

  static boolean rolledOut(KubernetesClient client, MtaStsPolicy policy) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(ObjectNames.policyServer(policy))
        .get();
    if (d == null || d.getStatus() == null || policy.getStatus() == null) {
      return false;
    }
    var template = d.getSpec().getTemplate().getMetadata().getAnnotations();
    boolean current = template != null && template.containsValue(policy.getStatus().getPolicyHash());
    var s = d.getStatus();
    return current && d.getMetadata().getGeneration().equals(s.getObservedGeneration())
        && d.getSpec().getReplicas().equals(s.getUpdatedReplicas())
        && d.getSpec().getReplicas().equals(s.getAvailableReplicas())
        && d.getSpec().getReplicas().equals(s.getReplicas());
  }

  static boolean certificateReady(KubernetesClient client, MtaStsPolicy policy) {
    Certificate c = client.resources(Certificate.class).inNamespace(NAMESPACE)
        .withName(ObjectNames.certificate(policy)).get();
    return c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus()
        .getConditions().stream().anyMatch(x -> "Ready".equals(x.getType()) && "True".equals(x.getStatus()));
  }

  static boolean endpointHas(KubernetesClient client, MtaStsPolicy policy, String id) {
    DNSEndpoint e = client.resources(DNSEndpoint.class).inNamespace(NAMESPACE)
        .withName(ObjectNames.dnsEndpoint(policy)).get();
    return e != null && e.getSpec().getEndpoints().stream()
        .anyMatch(x -> x.getTargets().stream().anyMatch(t -> t.contains("id=" + id)));
  }

  /** Seconds from t0 until the condition holds, polling every 20 ms. */
  static double until(long t0, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not reached within " + TIMEOUT);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
