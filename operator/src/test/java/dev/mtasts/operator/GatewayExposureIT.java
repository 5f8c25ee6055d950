package dev.mtasts.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.DesiredObjects;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.ClusterStandIns;
import dev.mtasts.testing.GatewayStatuses;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.ServerSideApply;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policies exposed through a Gateway, on a real API server with the standard-channel Gateway API CRDs (v1.6.3,
 * test-infra/gateway-api.sh). No Gateway controller that implements ListenerSet builds here, so the test writes
 * what one reports, from the states the Gateway API spec documents ({@link GatewayStatuses}); the kubelet,
 * cert-manager and external-dns are played by {@link ClusterStandIns} as in {@code MtaStsPolicyReconcilerIT}.
 */
@ExtendWith(RealKubernetes.class)
class GatewayExposureIT {

  static final Duration TIMEOUT = Duration.ofSeconds(60);
  static final Duration QUIET = Duration.ofSeconds(3);
  static final AtomicInteger NAMESPACES = new AtomicInteger();

  KubernetesClient client;
  String namespace;
  ClusterStandIns standIns;
  RunningOperator operator;

  @BeforeAll
  static void gatewayApi(KubernetesCluster cluster) {
    cluster.installGatewayApiCrds();
  }

  @BeforeEach
  void namespace(KubernetesCluster cluster) {
    client = cluster.client();
    namespace = "gateway-" + NAMESPACES.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    standIns = new ClusterStandIns(client, namespace);
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void renderedRoutesAndListenerSetPassTheUpstreamSchemasStrictly() {
    OperatorSettings settings = OperatorSettings.defaults()
        .withReportReceiver(java.net.URI.create("http://10.0.0.9:8090"));
    MtaStsPolicy ownListeners = TestPolicies.with(TestPolicies.receiving("example.com", "example.org"),
        s -> s.setGateway(TestPolicies.gateway("infra", "shared", null, true)));
    MtaStsPolicy gatewaysListener = TestPolicies.with(TestPolicies.enforce("example.net"),
        s -> s.setGateway(TestPolicies.gateway("infra", "shared", "https", false)));
    gatewaysListener.getMetadata().setName("example-net");

    for (MtaStsPolicy policy : List.of(ownListeners, gatewaysListener)) {
      List<HasMetadata> objects = DesiredObjects.of(policy, settings, TestPolicies.published(policy,
          "2026112307000000"));
      assertThat(objects).extracting(HasMetadata::getKind).contains("HTTPRoute").doesNotContain("Ingress");
      for (HasMetadata object : objects) {
        if (object instanceof HTTPRoute || object instanceof ListenerSet) {
          object.getMetadata().setNamespace(namespace);
          String yaml = client.getKubernetesSerialization().asYaml(object);
          assertThat(ServerSideApply.dryRun(client, yaml, namespace))
              .as("the API server refused %s %s:%n%s", object.getKind(), object.getMetadata().getName(), yaml)
              .isEmpty();
        }
      }
    }
  }

  @Test
  void theSchemaRefusesTwoExposuresAndMalformedReferencesNamingTheField() {
    assertRefused(TestPolicies.with(TestPolicies.throughGateway("example.com"),
            s -> s.setIngress(new IngressSettings())),
        "spec.gateway: Forbidden: ingress and gateway are two ways to expose the policy hosts: set at most one");
    assertRefused(TestPolicies.with(TestPolicies.enforce("example.com"),
            s -> s.setGateway(TestPolicies.gateway("infra", "shared", "https", true))),
        "spec.gateway.parentRef.sectionName: Forbidden: sectionName names a listener of the Gateway");
    assertRefused(TestPolicies.with(TestPolicies.enforce("example.com"),
            s -> s.setGateway(TestPolicies.gateway("infra", "Shared_Gateway", null, true))),
        "spec.gateway.parentRef.name: Invalid value: \"Shared_Gateway\"");
    assertRefused(TestPolicies.with(TestPolicies.enforce("example.com"),
            s -> s.setGateway(TestPolicies.gateway("-infra", "shared", null, true))),
        "spec.gateway.parentRef.namespace: Invalid value: \"-infra\"");
    String[] domains = IntStream.range(0, 65).mapToObj(i -> "d" + i + ".example.com").toArray(String[]::new);
    assertRefused(TestPolicies.throughGateway(domains),
        "spec.domains: Invalid value: with gateway.listeners ListenerSet a policy lists at most 64 domains");
    // Route-only exposure has no such limit.
    MtaStsPolicy many = TestPolicies.with(TestPolicies.enforce(domains),
        s -> s.setGateway(TestPolicies.gateway("infra", "shared", null, false)));
    many.getMetadata().setNamespace(namespace);
    assertThat(client.resource(many).dryRun().create()).isNotNull();
  }

  @Test
  void theFirstRecordsWaitUntilTheGatewayAcceptsTheRoutesAndProgramsTheListeners(KubernetesCluster cluster) {
    operator = RunningOperator.start(cluster, namespace, RunningOperator.unreachableService());
    MtaStsPolicy policy = apply(TestPolicies.throughGateway("example.com", "example.org"));
    standIns.finishRollout("example-com-policy-server");
    standIns.issueCertificate("example-com-policy-tls");

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(routes()).extracting(r -> r.getMetadata().getName())
          .containsExactlyInAnyOrder("example-com-example.com", "example-com-example.org");
      assertThat(listenerSet()).isPresent();
      assertThat(condition("GatewayAccepted")).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("WaitingForGateway");
      });
    });
    assertThat(client.resources(Ingress.class).inNamespace(namespace).list().getItems())
        .as("one exposure: no Ingress beside the routes").isEmpty();
    assertNoRecordsFor(QUIET, "the Gateway has not reported on the routes");

    // A Gateway that does not allow ListenerSets from this namespace: its own words in Ready.
    reportListenerSet(GatewayStatuses.listenerSetNotAllowed(), List.of());
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(condition("Ready")).satisfies(c -> {
      assertThat(c.getReason()).isEqualTo("ListenerNotReady");
      assertThat(c.getMessage()).contains("ListenerSet is not allowed by the parent Gateway's allowedListeners");
    }));
    assertNoRecordsFor(QUIET, "the Gateway refused the ListenerSet");

    reportListenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed());
    routes().forEach(r -> reportRoute(r, GatewayStatuses.routeAccepted()));
    String id = status().getPolicyId();
    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(condition("GatewayAccepted").getReason()).isEqualTo("RoutesAccepted");
      assertThat(records()).isPresent();
    });
    assertThat(records().get().getSpec().getEndpoints()).extracting(e -> e.getTargets().get(0))
        .contains("v=STSv1; id=" + id);
  }

  @Test
  void switchingToAGatewayAndBackKeepsTheRecordsAndTheIdAndAlwaysOneExposure(KubernetesCluster cluster) {
    operator = RunningOperator.start(cluster, namespace, RunningOperator.unreachableService());
    MtaStsPolicy policy = apply(TestPolicies.enforce("example.com"));
    standIns.finishRollout("example-com-policy-server");
    standIns.issueCertificate("example-com-policy-tls");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(records()).isPresent());
    standIns.readDnsEndpoint("example-com-txt");
    ingressServes();
    String id = status().getPolicyId();
    List<String> recordEvents = new CopyOnWriteArrayList<>();
    try (Watch watch = client.resources(DNSEndpoint.class).inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, DNSEndpoint resource) {
        recordEvents.add(action + " " + resource.getSpec().getEndpoints().get(0).getTargets());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      // To the Gateway: the routes first, the Ingress stays until the Gateway accepted them.
      apply(TestPolicies.with(TestPolicies.enforce("example.com"),
          s -> s.setGateway(TestPolicies.gateway("infra", "shared", null, true))));
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(routes()).hasSize(1));
      assertIngressKeptFor(QUIET);
      reportListenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed());
      routes().forEach(r -> reportRoute(r, GatewayStatuses.routeAccepted()));
      await().atMost(TIMEOUT).untilAsserted(() ->
          assertThat(client.resources(Ingress.class).inNamespace(namespace).list().getItems()).isEmpty());
      assertThat(condition("GatewayAccepted").getReason()).isEqualTo("RoutesAccepted");

      // And back: the Ingress first, the routes and listeners stay until the ingress controller took it.
      apply(TestPolicies.enforce("example.com"));
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(ingress()).isPresent());
      assertThat(routes()).as("routes kept while the Ingress has no address").hasSize(1);
      assertThat(listenerSet()).isPresent();
      ingressServes();
      await().atMost(TIMEOUT).untilAsserted(() -> {
        assertThat(routes()).isEmpty();
        assertThat(listenerSet()).isEmpty();
        assertThat(ConditionList.find(status().getConditions(), "GatewayAccepted")).isEmpty();
      });
      assertThat(status().getPolicyId()).as("the exposure is not what senders see: same id").isEqualTo(id);
    }
    assertThat(recordEvents).as("the records were never withdrawn or changed").noneMatch(e -> e.startsWith("DELETED"))
        .allMatch(e -> e.contains("v=STSv1; id=" + id));
    assertThat(records()).isPresent();
  }

  private void assertRefused(MtaStsPolicy policy, String message) {
    policy.getMetadata().setNamespace(namespace);
    assertThatThrownBy(() -> client.resource(policy).dryRun().create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining(message);
  }

  private MtaStsPolicy apply(MtaStsPolicy policy) {
    policy.getMetadata().setNamespace(namespace);
    return client.resource(policy).forceConflicts().serverSideApply();
  }

  private List<HTTPRoute> routes() {
    return client.resources(HTTPRoute.class).inNamespace(namespace).list().getItems();
  }

  private Optional<ListenerSet> listenerSet() {
    return Optional.ofNullable(client.resources(ListenerSet.class).inNamespace(namespace)
        .withName("example-com-policy").get());
  }

  private Optional<Ingress> ingress() {
    return Optional.ofNullable(client.resources(Ingress.class).inNamespace(namespace)
        .withName("example-com-policy").get());
  }

  private Optional<DNSEndpoint> records() {
    return Optional.ofNullable(client.resources(DNSEndpoint.class).inNamespace(namespace)
        .withName("example-com-txt").get());
  }

  private dev.mtasts.api.v1alpha1.MtaStsPolicyStatus status() {
    return client.resources(MtaStsPolicy.class).inNamespace(namespace).withName("example-com").get().getStatus();
  }

  private Condition condition(String type) {
    var status = status();
    assertThat(status).isNotNull();
    return ConditionList.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no " + type));
  }

  /** As the Gateway's controller: our ListenerSet's status. */
  private void reportListenerSet(List<Condition> own, List<Condition> perListener) {
    GatewayStatuses.reportListenerSet(client, listenerSet().orElseThrow(), own, perListener);
  }

  /** As the Gateway's controller: the route's status for its parent. */
  private void reportRoute(HTTPRoute route, Condition... conditions) {
    GatewayStatuses.reportRoute(client, route, conditions);
  }

  /** As the ingress controller once it serves the Ingress: its load-balancer address. */
  private void ingressServes() {
    Ingress current = await().atMost(TIMEOUT).until(() -> ingress().orElse(null), java.util.Objects::nonNull);
    current.setStatus(new io.fabric8.kubernetes.api.model.networking.v1.IngressStatusBuilder().withNewLoadBalancer()
        .withIngress(new IngressLoadBalancerIngressBuilder().withIp("192.0.2.10").build()).endLoadBalancer().build());
    client.resource(current).updateStatus();
  }

  private void assertNoRecordsFor(Duration quiet, String because) {
    await().during(quiet).atMost(quiet.plusSeconds(5)).untilAsserted(() ->
        assertThat(records()).as("no TXT records while %s", because).isEmpty());
  }

  private void assertIngressKeptFor(Duration quiet) {
    await().during(quiet).atMost(quiet.plusSeconds(5)).untilAsserted(() ->
        assertThat(ingress()).as("the Ingress serves until the Gateway accepted the routes").isPresent());
  }
}
