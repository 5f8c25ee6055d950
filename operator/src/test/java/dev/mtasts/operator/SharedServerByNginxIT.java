package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.testing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.desired.SharedPolicyServer;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a shared policy server pod serves: the objects the operator wrote for two policies in mode Shared, laid out
 * as the kubelet mounts them (the server's ConfigMap, and each member's ConfigMap projected as one file per policy
 * host), run by Debian's nginx. Each host gets its own policy by its Host header, and no other host gets one.
 */
@ExtendWith(RealKubernetes.class)
class SharedServerByNginxIT {

  static final String NAMESPACE = "shared-by-nginx";

  static LocalNginx nginx;
  static InetSocketAddress address;
  static Map<String, String> policies = new LinkedHashMap<>();

  @BeforeAll
  static void serveWhatTheOperatorWrote(KubernetesCluster cluster, @TempDir Path dir) throws Exception {
    KubernetesClient client = cluster.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    OperatorSettings shared = OperatorSettings.defaults().withServerMode(ServerMode.SHARED);
    try (RunningOperator operator = RunningOperator.start(cluster, NAMESPACE, shared,
        RunningOperator.unreachableService(), Optional.empty())) {
      for (MtaStsPolicy policy : List.of(enforce("a.example"), testing("b.example", "b.example.net"))) {
        policy.getMetadata().setNamespace(NAMESPACE);
        client.resource(policy).serverSideApply();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        Deployment server = client.apps().deployments().inNamespace(NAMESPACE).withName(SharedPolicyServer.NAME)
            .get();
        return server != null && server.getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getProjected() != null).mapToLong(v -> v.getProjected().getSources().size()).sum() == 2;
      });
    }
    Deployment server = client.apps().deployments().inNamespace(NAMESPACE).withName(SharedPolicyServer.NAME).get();
    Map<String, String> files = new LinkedHashMap<>(client.configMaps().inNamespace(NAMESPACE)
        .withName(SharedPolicyServer.NAME).get().getData());
    // As the kubelet projects them: each member's policy file under the name of each of its hosts.
    Files.createDirectories(dir.resolve("mount/policies"));
    server.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getProjected() != null)
        .flatMap(v -> v.getProjected().getSources().stream()).map(s -> s.getConfigMap()).forEach(source -> {
          ConfigMap member = client.configMaps().inNamespace(NAMESPACE).withName(source.getName()).get();
          source.getItems().forEach(item -> {
            files.put("policies/" + item.getPath(), member.getData().get(item.getKey()));
            policies.put(item.getPath(), member.getData().get(item.getKey()));
          });
        });
    nginx = LocalNginx.serve(files, dir);
    URI url = URI.create(nginx.url("/"));
    address = new InetSocketAddress(url.getHost(), url.getPort());
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.close();
    }
  }

  static EndpointFetch.Answer get(String host) throws Exception {
    return EndpointFetch.get(address, host, "/.well-known/mta-sts.txt", Duration.ofSeconds(2));
  }

  @Test
  void eachPolicyHostGetsItsOwnPolicy() throws Exception {
    assertThat(policies).containsOnlyKeys("mta-sts.a.example", "mta-sts.b.example", "mta-sts.b.example.net");
    for (var host : policies.entrySet()) {
      EndpointFetch.Answer answer = get(host.getKey());

      assertThat(answer.status()).as(host.getKey()).isEqualTo(200);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(host.getKey()).isEqualTo(host.getValue());
    }
    assertThat(policies.get("mta-sts.a.example")).contains("mode: enforce").doesNotContain("mode: testing");
    assertThat(policies.get("mta-sts.b.example")).contains("mode: testing");
  }

  @Test
  void aHostInAnyCaseOrWithAPortIsTheSameHost() throws Exception {
    assertThat(new String(get("MTA-STS.A.Example:443").body(), StandardCharsets.UTF_8))
        .isEqualTo(policies.get("mta-sts.a.example"));
  }

  @Test
  void anUnknownHostGets404NeverAnotherDomainsPolicy() throws Exception {
    for (String host : List.of("mta-sts.c.example", "a.example", "10.42.0.1", "mta-sts.a.example.evil")) {
      EndpointFetch.Answer answer = get(host);

      assertThat(answer.status()).as(host).isEqualTo(404);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).as(host).doesNotContain("STSv1");
    }
  }

  @Test
  void aHostThatWouldLeaveThePolicyFolderIsRefused() throws Exception {
    for (String host : List.of("..", "../conf", "mta-sts.a.example/../../conf")) {
      EndpointFetch.Answer answer = get(host);

      assertThat(answer.status()).as(host).isEqualTo(400);
    }
  }
}
