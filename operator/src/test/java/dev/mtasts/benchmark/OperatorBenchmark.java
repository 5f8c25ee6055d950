package dev.mtasts.benchmark;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.desired.DesiredObjects;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.DomainClaims;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.PolicyContent;
import dev.mtasts.publication.Publication;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestPolicies;
import dev.mtasts.testing.ThirdPartyCrds;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Applies N policies to a real API server and measures the time until every object the operator creates at once
 * (ConfigMap, Deployment, Service, Ingress, Certificate) exists and every status has caught up, next to the floor:
 * a plain Fabric8 client creating the same objects and status with the same concurrency (JOSDK's default of 50
 * reconciliation threads). The DNSEndpoint is left out of both: it waits for a rollout no kubelet performs here.
 * Each round's objects are deleted before the next round, so neither side runs on a fuller etcd.
 * Completion is seen through a watch, not by listing every object in a loop, which would load the API server
 * (and so the operator's side) more than the floor's.
 * Run with {@code ./mvnw -q -Pbenchmark -DskipTests verify [-Dbenchmark.sizes=1,500,2000]}.
 */
public final class OperatorBenchmark {

  static final int CONCURRENCY = 50;
  static final int WARM_UP = 300;
  static final String API_SERVER_CPU = "cpu-seconds kube-apiserver";
  static final String JVM_CPU = "cpu-seconds this JVM (operator and clients)";
  static final List<Class<? extends HasMetadata>> CREATED_AT_ONCE =
      List.of(ConfigMap.class, Deployment.class, Service.class, Ingress.class, Certificate.class);

  public static void main(String[] args) throws Exception {
    int[] sizes = Arrays.stream(System.getProperty("benchmark.sizes", "1,500,2000").split(","))
        .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    try (KubernetesCluster cluster = KubernetesCluster.start()) {
      cluster.installOurCrds();
      cluster.installCrds(ThirdPartyCrds.generate());
      System.out.printf("benchmark on %s, %d cores, concurrency %d%n", cluster.description(),
          Runtime.getRuntime().availableProcessors(), CONCURRENCY);
      System.out.printf("%6s %14s %14s %8s %22s%n", "N", "operator (s)", "floor (s)", "ratio",
          "operator heap after GC");
      // A long-running operator is warm: a first round of both sides, not counted, takes the JIT compiler's work
      // (half a core during a cold first round) out of the figures, which would otherwise charge it to the
      // operator, whose round runs first.
      round(cluster, WARM_UP, "warm-up");
      for (int n : sizes) {
        Round r = round(cluster, n, "n" + n);
        System.out.printf("%6d %14.2f %14.2f %8.2f %15d MiB (+%d MiB)%n", n, seconds(r.operator()),
            seconds(r.floor()), seconds(r.operator()) / seconds(r.floor()), r.heapWithOperator() >> 20,
            (r.heapWithOperator() - r.heapBefore()) >> 20);
        System.out.printf("%6s API requests per policy: operator %s; floor %s%n", "",
            perPolicy(r.operatorRequests(), n), perPolicy(r.floorRequests(), n));
        System.out.printf("%6s CPU seconds, kube-apiserver / this JVM: operator %.1f / %.1f; floor %.1f / %.1f%n", "",
            r.operatorRequests().getOrDefault(API_SERVER_CPU, 0.0), r.operatorRequests().getOrDefault(JVM_CPU, 0.0),
            r.floorRequests().getOrDefault(API_SERVER_CPU, 0.0), r.floorRequests().getOrDefault(JVM_CPU, 0.0));
      }
    }
  }

  /** One measured round: N policies through the operator, then the same N through the floor. */
  record Round(Duration operator, Duration floor, long heapBefore, long heapWithOperator,
      Map<String, Double> operatorRequests, Map<String, Double> floorRequests) {}

  static Round round(KubernetesCluster cluster, int n, String name) throws Exception {
    long heapBefore = heapAfterGc();
    Duration operator;
    long heapWithOperator;
    String opNamespace = "bench-operator-" + name;
    namespace(cluster.client(), opNamespace);
    Map<String, Double> requestsBefore = requests(cluster.client());
    Map<String, Double> operatorRequests;
    try (RunningOperator running = RunningOperator.start(cluster, opNamespace,
        RunningOperator.unreachableService())) {
      Instant start = Instant.now();
      parallel(n, i -> cluster.client().resource(policy(opNamespace, i)).create());
      awaitCaughtUp(cluster.client(), opNamespace, n);
      operator = Duration.between(start, Instant.now());
      operatorRequests = difference(requests(cluster.client()), requestsBefore);
      heapWithOperator = heapAfterGc();
    }
    clear(cluster.client(), opNamespace);
    String floorNamespace = "bench-floor-" + name;
    namespace(cluster.client(), floorNamespace);
    requestsBefore = requests(cluster.client());
    Instant start = Instant.now();
    parallel(n, i -> floor(cluster.client(), policy(floorNamespace, i)));
    Duration floor = Duration.between(start, Instant.now());
    Map<String, Double> floorRequests = difference(requests(cluster.client()), requestsBefore);
    clear(cluster.client(), floorNamespace);
    return new Round(operator, floor, heapBefore, heapWithOperator, operatorRequests, floorRequests);
  }

  static MtaStsPolicy policy(String namespace, int i) {
    MtaStsPolicy policy = TestPolicies.enforce("d" + i + ".example.com");
    policy.getMetadata().setNamespace(namespace);
    return policy;
  }

  /** What the operator does for one policy, done directly: create it, apply its objects, write its status. */
  static void floor(KubernetesClient client, MtaStsPolicy policy) {
    MtaStsPolicy created = client.resource(policy).create();
    PublishedPolicy published = Publication.decide(created, Optional.empty(), MxObservation.OFF,
        DomainClaims.Claimants.inCluster(List.of(created)), Instant.now()).published().orElseThrow();
    PolicyContent content = published.content();
    List<HasMetadata> objects = DesiredObjects.of(created, OperatorSettings.defaults(), published);
    for (HasMetadata object : objects.subList(0, CREATED_AT_ONCE.size())) {
      client.resource(object).forceConflicts().serverSideApply();
    }
    MtaStsPolicy status = new MtaStsPolicy();
    status.setMetadata(new ObjectMetaBuilder().withName(created.getMetadata().getName())
        .withNamespace(created.getMetadata().getNamespace()).build());
    MtaStsPolicyStatus s = new MtaStsPolicyStatus();
    s.setObservedGeneration(created.getMetadata().getGeneration());
    s.setPolicyId(published.policyId());
    s.setPolicyHash(content.hash());
    status.setStatus(s);
    client.resource(status).subresource("status").patch(new PatchContext.Builder()
        .withPatchType(PatchType.SERVER_SIDE_APPLY).withForce(true).withFieldManager("benchmark").build());
  }

  /** Until every status caught up (written after the objects are applied), then checks the objects once. */
  static void awaitCaughtUp(KubernetesClient client, String namespace, int n) throws InterruptedException {
    Set<String> caughtUp = ConcurrentHashMap.newKeySet();
    CountDownLatch done = new CountDownLatch(1);
    ResourceEventHandler<MtaStsPolicy> handler = new ResourceEventHandler<>() {
      @Override
      public void onAdd(MtaStsPolicy policy) {
        onUpdate(policy, policy);
      }

      @Override
      public void onUpdate(MtaStsPolicy old, MtaStsPolicy policy) {
        if (policy.getStatus() != null && policy.getStatus().getPolicyId() != null
            && policy.getMetadata().getGeneration().equals(policy.getStatus().getObservedGeneration())
            && caughtUp.add(policy.getMetadata().getName()) && caughtUp.size() == n) {
          done.countDown();
        }
      }

      @Override
      public void onDelete(MtaStsPolicy policy, boolean unknown) {}
    };
    try (var informer = client.resources(MtaStsPolicy.class).inNamespace(namespace).inform(handler)) {
      if (!done.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException(caughtUp.size() + " of " + n + " statuses caught up in 10 minutes");
      }
    }
    for (Class<? extends HasMetadata> type : CREATED_AT_ONCE) {
      int count = client.resources(type).inNamespace(namespace).list().getItems().size();
      if (count < n) {
        throw new IllegalStateException(count + " of " + n + " " + type.getSimpleName() + " objects exist");
      }
    }
  }

  interface Task {
    void run(int i) throws Exception;
  }

  static void parallel(int n, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          task.run(index);
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /** The API server's own count of requests (apiserver_request_total), by verb and resource. */
  static Map<String, Double> requests(KubernetesClient client) {
    Map<String, Double> counts = new TreeMap<>();
    Pattern line = Pattern.compile("^apiserver_request_total\\{(.*)\\} ([0-9.e+]+)$");
    for (String metric : client.raw("/metrics").split("\n")) {
      if (metric.startsWith("process_cpu_seconds_total ")) {
        counts.put(API_SERVER_CPU, Double.parseDouble(metric.substring(metric.indexOf(' ') + 1)));
      }
      Matcher m = line.matcher(metric);
      if (m.matches()) {
        String verb = label(m.group(1), "verb");
        String resource = label(m.group(1), "resource") + (label(m.group(1), "subresource").isEmpty() ? ""
            : "/" + label(m.group(1), "subresource"));
        counts.merge(verb + " " + resource, Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    counts.put(JVM_CPU, ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1e9);
    return counts;
  }

  static String label(String labels, String name) {
    Matcher m = Pattern.compile("(?:^|,)" + name + "=\"([^\"]*)\"").matcher(labels);
    return m.find() ? m.group(1) : "";
  }

  static Map<String, Double> difference(Map<String, Double> after, Map<String, Double> before) {
    Map<String, Double> made = new TreeMap<>();
    after.forEach((key, count) -> made.put(key, count - before.getOrDefault(key, 0.0)));
    made.entrySet().removeIf(e -> e.getValue() < 1 && !e.getKey().startsWith("cpu-seconds"));
    return made;
  }

  /** "create configmaps 1.0, ..." for the writes and reads a round made, leaving out watches and the benchmark's. */
  static String perPolicy(Map<String, Double> requests, int n) {
    return requests.entrySet().stream()
        .filter(e -> !e.getKey().startsWith("cpu-seconds"))
        .filter(e -> e.getValue() / n >= 0.05)
        .map(e -> String.format("%s %.2f", e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue() / n))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Deletes what a round made, so the next one starts on an API server and etcd of the same size. */
  static void clear(KubernetesClient client, String namespace) {
    // Deleting thousands of objects in one request takes longer than a client's usual 10 s request timeout.
    try (KubernetesClient patient = new KubernetesClientBuilder().withConfig(
        new ConfigBuilder(client.getConfiguration()).withRequestTimeout(600_000).build()).build()) {
      patient.resources(MtaStsPolicy.class).inNamespace(namespace).delete();
      for (Class<? extends HasMetadata> type : CREATED_AT_ONCE) {
        patient.resources(type).inNamespace(namespace).delete();
      }
      patient.v1().events().inNamespace(namespace).delete();
    }
  }

  static void namespace(KubernetesClient client, String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .serverSideApply();
  }

  static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
