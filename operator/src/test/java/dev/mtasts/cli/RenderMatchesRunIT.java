package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.publication.PolicyServing;
import dev.mtasts.testing.LocalNginx;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import dev.mtasts.desired.StandardLabels;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.ClusterStandIns;
import dev.mtasts.testing.Examples;
import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "render prints what the operator applies": every example (and two resources claiming one domain) is applied to a
 * real API server with the operator running, the Deployment controller and cert-manager played by the test so the
 * DNSEndpoint is applied too; then {@code render} is given the resources as the cluster holds them (status with the
 * id) and each object it prints must be in the cluster, field for field, and no other object.
 */
@ExtendWith(RealKubernetes.class)
class RenderMatchesRunIT {

  static final Duration TIMEOUT = Duration.ofSeconds(45);
  static final AtomicInteger NAMESPACES = new AtomicInteger();

  @TempDir
  static Path work;
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  static final List<Class<? extends HasMetadata>> OWNED = List.of(ConfigMap.class, Deployment.class, Service.class,
      PodDisruptionBudget.class, Ingress.class, Certificate.class, DNSEndpoint.class);

  static Stream<String> inputs() {
    return Stream.concat(Examples.policies().stream().map(p -> "examples/" + p),
        Stream.of("operator/src/test/resources/render/two-policies-one-domain.yaml"));
  }

  static final String RECEIVER = "http://mta-sts-operator-reports.mta-sts.svc.cluster.local:8090";
  static final String RESOLVER = "10.96.0.10";

  @ParameterizedTest(name = "{0}")
  @MethodSource("inputs")
  void renderPrintsExactlyWhatTheOperatorApplied(String input, KubernetesCluster cluster) throws Exception {
    KubernetesClient client = cluster.client();
    int run = NAMESPACES.incrementAndGet();
    String namespace = "render-" + run;
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    List<MtaStsPolicy> policies = new ArrayList<>();
    for (String document : documents(GoldenFile.read(GoldenFile.repoRoot().resolve(input)))) {
      MtaStsPolicy policy = SERIALIZATION.unmarshal(document, MtaStsPolicy.class);
      policy.getMetadata().setNamespace(namespace);
      policies.add(policy);
    }
    // Both as the chart installs the operator: with the report receiver (only tlsRpt.receive uses it).
    OperatorSettings settings = OperatorSettings.defaults().withReportReceiver(URI.create(RECEIVER))
        .withReportResolvers(List.of(RESOLVER));
    List<LocalNginx> sharedServers = new ArrayList<>();
    try (RunningOperator operator = RunningOperator.start(cluster, namespace, settings,
        RunningOperator.unreachableService(), Optional.empty())) {
      policies.forEach(p -> client.resource(p).create());
      ClusterStandIns standIns = new ClusterStandIns(client, namespace);
      for (MtaStsPolicy policy : policies) {
        if (PolicyServing.wanted(policy, settings) == ServerMode.SHARED) {
          // The shared server's pod, played here (no kubelet): the operator probes it before the records.
          await().atMost(TIMEOUT).until(() -> client.resources(Certificate.class).inNamespace(namespace)
              .withName(ObjectNames.certificate(policy)).get() != null);
          standIns.issueCertificate(ObjectNames.certificate(policy));
          // nginx's workers run unprivileged: they must be able to pass through JUnit's owner-only folder.
          Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
          sharedServers.add(standIns.runSharedServer(new InetSocketAddress("10.42.251." + run,
              PolicyServerDeployment.HTTP_PORT), Files.createDirectories(work.resolve(namespace))));
          await().atMost(TIMEOUT).until(() -> client.resources(DNSEndpoint.class).inNamespace(namespace)
              .withName(ObjectNames.dnsEndpoint(policy)).get() != null);
        } else {
          publish(client, standIns, namespace, policy);
        }
      }

      CommandRun render = CommandRun.withStdin(asYaml(stored(client, namespace)), "render", "-f", "-",
          "--report-receiver-url", RECEIVER, "--report-receiver-resolver", RESOLVER);

      assertThat(render.exitCode()).as(render.err()).isZero();
      List<HasMetadata> rendered = objects(render.out());
      assertThat(names(rendered)).as("render prints the objects the operator made, no more, no fewer")
          .isEqualTo(names(live(client, namespace)));
      for (HasMetadata object : rendered) {
        HasMetadata applied = client.resource(object).get();
        assertContains(SERIALIZATION.convertValue(applied, JsonNode.class),
            SERIALIZATION.convertValue(object, JsonNode.class), kindAndName(object));
      }
    } finally {
      sharedServers.forEach(LocalNginx::close);
    }
  }

  /** Waits for the objects, plays the rollout and the certificate, and waits for the TXT records to follow. */
  static void publish(KubernetesClient client, ClusterStandIns standIns, String namespace, MtaStsPolicy policy) {
    await().atMost(TIMEOUT).until(() -> client.apps().deployments().inNamespace(namespace)
        .withName(ObjectNames.policyServer(policy)).get() != null && client.resources(Certificate.class)
        .inNamespace(namespace).withName(ObjectNames.certificate(policy)).get() != null);
    standIns.finishRollout(ObjectNames.policyServer(policy));
    standIns.issueCertificate(ObjectNames.certificate(policy));
    await().atMost(TIMEOUT).until(() -> client.resources(DNSEndpoint.class).inNamespace(namespace)
        .withName(ObjectNames.dnsEndpoint(policy)).get() != null);
  }

  static List<MtaStsPolicy> stored(KubernetesClient client, String namespace) {
    return client.resources(MtaStsPolicy.class).inNamespace(namespace).list().getItems().stream()
        .sorted(java.util.Comparator.comparing(p -> p.getMetadata().getName())).toList();
  }

  static String asYaml(List<MtaStsPolicy> policies) {
    StringBuilder yaml = new StringBuilder();
    policies.forEach(p -> yaml.append(SERIALIZATION.asYaml(p)));
    return yaml.toString();
  }

  static List<String> documents(String yaml) {
    return Stream.of(yaml.split("(?m)^---\\s*$"))
        .filter(document -> document.lines().anyMatch(line -> line.startsWith("kind:")))
        .toList();
  }

  static List<HasMetadata> objects(String yaml) {
    return documents(yaml).stream().map(d -> SERIALIZATION.unmarshal(d, HasMetadata.class)).toList();
  }

  static List<HasMetadata> live(KubernetesClient client, String namespace) {
    List<HasMetadata> objects = new ArrayList<>();
    for (Class<? extends HasMetadata> type : OWNED) {
      objects.addAll(client.resources(type).inNamespace(namespace)
          .withLabel(StandardLabels.MANAGED_BY, StandardLabels.OPERATOR).list().getItems());
    }
    return objects;
  }

  static Set<String> names(List<HasMetadata> objects) {
    Set<String> names = new TreeSet<>();
    objects.forEach(o -> names.add(kindAndName(o)));
    return names;
  }

  static String kindAndName(HasMetadata object) {
    return object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
  }

  /** Every field render printed is in the applied object with the same value; the API server may add defaults. */
  static void assertContains(JsonNode applied, JsonNode rendered, String where) {
    if (rendered.isObject()) {
      assertThat(applied.isObject()).as(where).isTrue();
      for (Iterator<Map.Entry<String, JsonNode>> fields = rendered.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        assertThat(applied.has(field.getKey())).as(where + "." + field.getKey() + " is applied").isTrue();
        assertContains(applied.get(field.getKey()), field.getValue(), where + "." + field.getKey());
      }
    } else if (rendered.isArray()) {
      assertThat(applied.size()).as(where + " has as many entries").isEqualTo(rendered.size());
      for (int i = 0; i < rendered.size(); i++) {
        assertContains(applied.get(i), rendered.get(i), where + "[" + i + "]");
      }
    } else {
      assertThat(applied.asText()).as(where).isEqualTo(rendered.asText());
    }
  }
}
