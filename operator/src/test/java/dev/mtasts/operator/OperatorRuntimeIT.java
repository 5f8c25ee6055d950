package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What runs around the reconciler: health and metrics endpoints, and leader election between two replicas. */
@ExtendWith(RealKubernetes.class)
class OperatorRuntimeIT {

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final HttpClient HTTP = HttpClient.newHttpClient();

  static MtaStsOperator replica(KubernetesCluster cluster, String namespace, String identity, int health, int metrics) {
    KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(cluster.kubeconfigYaml())).build();
    return new MtaStsOperator(client, new MtaStsOperator.Options(OperatorSettings.defaults(), Set.of(namespace),
        Optional.of(new MtaStsOperator.LeaderElection("mta-sts-operator", namespace, identity, false)), health, metrics,
        Optional.empty()),
        RunningOperator.unreachableService(), Clock.systemUTC());
  }

  @Test
  void healthReadinessAndMetricsAnswerOnTheirOwnPorts(KubernetesCluster cluster) throws Exception {
    String namespace = namespace(cluster, "runtime-endpoints");
    int health = freePort();
    int metrics = freePort();
    MtaStsOperator operator = replica(cluster, namespace, "only", health, metrics);
    try {
      operator.start();
      cluster.client().resource(inNamespace(enforce("example.com"), namespace)).create();

      await().atMost(TIMEOUT).untilAsserted(() -> {
        assertThat(get(health, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(health, "/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> scrape = get(metrics, "/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("operator_sdk_reconciliations_started_total");
      });
      assertThat(get(metrics, "/healthz").statusCode()).as("metrics and health are apart").isEqualTo(404);
    } finally {
      operator.close();
    }
  }

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItStops(KubernetesCluster cluster) throws Exception {
    String namespace = namespace(cluster, "runtime-leader");
    var client = cluster.client();
    MtaStsOperator first = replica(cluster, namespace, "replica-a", -1, -1);
    MtaStsOperator second = replica(cluster, namespace, "replica-b", -1, -1);
    try {
      first.start();
      await().atMost(TIMEOUT).until(() -> holder(client, namespace).equals("replica-a"));
      second.start();
      client.resource(inNamespace(enforce("example.com"), namespace)).create();
      await().atMost(TIMEOUT).until(() -> hasStatus(client, namespace, "example-com"));
      assertThat(holder(client, namespace)).isEqualTo("replica-a");

      first.close();
      await().atMost(TIMEOUT).until(() -> holder(client, namespace).equals("replica-b"));
      client.resource(inNamespace(enforce("example.org"), namespace)).create();
      await().atMost(TIMEOUT).until(() -> hasStatus(client, namespace, "example-org"));
    } finally {
      first.close();
      second.close();
    }
  }

  static String holder(KubernetesClient client, String namespace) {
    Lease lease = client.leases().inNamespace(namespace).withName("mta-sts-operator").get();
    return lease == null || lease.getSpec().getHolderIdentity() == null ? "" : lease.getSpec().getHolderIdentity();
  }

  static boolean hasStatus(KubernetesClient client, String namespace, String name) {
    MtaStsPolicy policy = client.resources(MtaStsPolicy.class).inNamespace(namespace).withName(name).get();
    return policy != null && policy.getStatus() != null && policy.getStatus().getPolicyId() != null;
  }

  static MtaStsPolicy inNamespace(MtaStsPolicy policy, String namespace) {
    policy.getMetadata().setNamespace(namespace);
    return policy;
  }

  static String namespace(KubernetesCluster cluster, String name) {
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
        .build()).serverSideApply();
    return name;
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
