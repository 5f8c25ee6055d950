package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.rfc.PolicyId;
import dev.mtasts.testing.ClusterStandIns;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator against a real API server. No kubelet, cert-manager or external-dns runs here: the test plays them
 * through {@link ClusterStandIns}, which is how it controls when a rollout finishes.
 */
@ExtendWith(RealKubernetes.class)
class MtaStsPolicyReconcilerIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final Duration QUIET = Duration.ofSeconds(3);
  static final AtomicInteger NAMESPACES = new AtomicInteger();

  KubernetesCluster cluster;
  KubernetesClient client;
  String namespace;
  ClusterStandIns standIns;
  RunningOperator operator;

  @BeforeEach
  void startOperator(KubernetesCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.namespace = "reconciler-" + NAMESPACES.incrementAndGet();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .create();
    standIns = new ClusterStandIns(client, namespace);
    operator = RunningOperator.start(cluster, namespace, RunningOperator.unreachableService());
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void createPublishesTheTxtRecordsOnlyAfterRolloutAndCertificate() {
    MtaStsPolicy policy = apply(enforce("example.com"));
    String hash = TestPolicies.content(policy).hash();

    // An object not created yet reads as null: wait for it rather than fail on it.
    await().atMost(TIMEOUT).ignoreExceptionsInstanceOf(NullPointerException.class).untilAsserted(() -> {
      assertThat(get(ConfigMap.class, "example-com-policy").getData())
          .containsEntry("mta-sts.txt", TestPolicies.content(policy).body());
      assertThat(get(Deployment.class, "example-com-policy-server").getSpec().getTemplate().getMetadata()
          .getAnnotations()).containsEntry("mtasts.dev/policy-hash", hash);
      assertThat(get(Service.class, "example-com-policy-server")).isNotNull();
      assertThat(get(Ingress.class, "example-com-policy").getSpec().getRules()).extracting(r -> r.getHost())
          .containsExactly("mta-sts.example.com");
      assertThat(get(Certificate.class, "example-com-policy-tls").getSpec().getDnsNames())
          .containsExactly("mta-sts.example.com");
      assertThat(condition("example-com", "PolicyServed")).satisfies(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("RolloutInProgress");
      });
    });
    MtaStsPolicyStatus status = status("example-com");
    assertThat(status.getPolicyId()).matches("\\d{16}");
    assertThat(status.getPolicyHash()).isEqualTo(hash);
    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactlyInAnyOrder("PolicyServed", "CertificateReady", "DnsPublished", "MxCovered", "Ready");
    assertThat(status.getConditions()).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
    assertNoDnsEndpointFor(QUIET, "the rollout has not finished");

    standIns.finishRollout("example-com-policy-server");
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(condition("example-com", "PolicyServed").getStatus()).isEqualTo("True"));
    assertNoDnsEndpointFor(QUIET, "the certificate is not issued");

    standIns.issueCertificate("example-com-policy-tls");
    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stsRecords()).containsEntry(
        "_mta-sts.example.com", "v=STSv1; id=" + status.getPolicyId()));
    assertThat(condition("example-com", "Ready").getReason()).isEqualTo("WaitingForExternalDns");

    standIns.readDnsEndpoint("example-com-txt");
    await().atMost(TIMEOUT).untilAsserted(() -> {
      Condition ready = condition("example-com", "Ready");
      assertThat(ready.getStatus()).isEqualTo("True");
      assertThat(ready.getReason()).isEqualTo("Published");
      assertThat(status("example-com").getDomains()).singleElement().satisfies(d -> {
        assertThat(d.getPolicyUrl()).isEqualTo("https://mta-sts.example.com/.well-known/mta-sts.txt");
        assertThat(d.getStsRecord()).isEqualTo("v=STSv1; id=" + status.getPolicyId());
      });
    });
  }

  @Test
  void changingMxIssuesANewIdThatIsPublishedOnlyAfterTheNewRollout() {
    String oldId = publish(enforce("example.com"));

    MtaStsPolicy changed = enforce("example.com");
    changed.getSpec().setMx(List.of("mx1.example.com", "mx3.example.com"));
    apply(changed);

    await().atMost(TIMEOUT).untilAsserted(() -> {
      assertThat(status("example-com").getPolicyId()).isNotEqualTo(oldId);
      assertThat(condition("example-com", "PolicyServed").getReason()).isEqualTo("RolloutInProgress");
    });
    String newId = status("example-com").getPolicyId();
    assertThat(PolicyId.isAfter(newId, oldId)).isTrue();
    await().during(QUIET).atMost(QUIET.plusSeconds(5)).untilAsserted(() ->
        assertThat(stsRecords()).as("the old id stays until the new policy is served")
            .containsEntry("_mta-sts.example.com", "v=STSv1; id=" + oldId));

    standIns.finishRollout("example-com-policy-server");
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(stsRecords()).containsEntry("_mta-sts.example.com", "v=STSv1; id=" + newId));
    assertThat(events("PolicyIdChanged")).anySatisfy(e ->
        assertThat(e.getMessage()).contains(oldId + " -> " + newId).contains("the policy changed"));
  }

  @Test
  void everyOwnedObjectIsAppliedServerSideUnderTheOperatorsFieldManager() {
    apply(enforce("example.com"));
    await().atMost(TIMEOUT).until(() -> get(Certificate.class, "example-com-policy-tls") != null
        && get(Deployment.class, "example-com-policy-server") != null);

    for (HasMetadata object : List.of(get(ConfigMap.class, "example-com-policy"),
        get(Deployment.class, "example-com-policy-server"), get(Service.class, "example-com-policy-server"),
        get(Ingress.class, "example-com-policy"), get(Certificate.class, "example-com-policy-tls"))) {
      assertThat(object.getMetadata().getManagedFields())
          .as("%s %s: who wrote its spec", object.getKind(), object.getMetadata().getName())
          .filteredOn(f -> f.getSubresource() == null)
          .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
          .containsExactly(tuple(MtaStsPolicyReconciler.NAME, "Apply"));
    }
  }

  @Test
  void changingOnlyReplicasKeepsTheId() {
    String id = publish(enforce("example.com"));

    MtaStsPolicy changed = enforce("example.com");
    changed.getSpec().setServer(dev.mtasts.testing.TestPolicies.server(5, null));
    apply(changed);

    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(get(Deployment.class, "example-com-policy-server").getSpec().getReplicas()).isEqualTo(5));
    await().during(QUIET).atMost(QUIET.plusSeconds(5)).untilAsserted(() -> {
      assertThat(status("example-com").getPolicyId()).isEqualTo(id);
      assertThat(stsRecords()).containsEntry("_mta-sts.example.com", "v=STSv1; id=" + id);
    });
  }

  @Test
  void restartWritesNothingAndKeepsTheId() {
    String id = publish(enforce("example.com"));
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(condition("example-com", "Ready").getStatus()).isEqualTo("True"));
    Map<String, String> before = resourceVersions();

    operator.close();
    operator = RunningOperator.start(cluster, namespace, RunningOperator.unreachableService());

    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(resourceVersions()).as("nothing written after a restart").isEqualTo(before));
    assertThat(status("example-com").getPolicyId()).isEqualTo(id);
  }

  @Test
  void secondClaimOnADomainIsRefusedThenTakesOverWhenTheFirstGoes() {
    publish(enforce("example.com"));
    MtaStsPolicy second = enforce("example.com", "example.org");
    second.getMetadata().setName("late-comer");
    second.getSpec().setMx(List.of("mx.example.org"));
    apply(second);

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Condition ready = condition("late-comer", "Ready");
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("DomainConflict");
      assertThat(ready.getMessage()).contains("example.com is claimed by the older MtaStsPolicy " + namespace
          + "/example-com");
      assertThat(get(Ingress.class, "late-comer-policy").getSpec().getRules()).extracting(r -> r.getHost())
          .containsExactly("mta-sts.example.org");
    });
    assertThat(events("DomainConflict")).isNotEmpty();

    client.resources(MtaStsPolicy.class).inNamespace(namespace).withName("example-com").delete();

    await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
      assertThat(condition("late-comer", "Ready").getReason()).isNotEqualTo("DomainConflict");
      assertThat(get(Ingress.class, "late-comer-policy").getSpec().getRules()).extracting(r -> r.getHost())
          .containsExactly("mta-sts.example.com", "mta-sts.example.org");
    });
  }

  @Test
  void aHandEditedConfigMapIsRestored() {
    MtaStsPolicy policy = apply(enforce("example.com"));
    await().atMost(TIMEOUT).until(() -> get(ConfigMap.class, "example-com-policy") != null);

    client.configMaps().inNamespace(namespace).withName("example-com-policy")
        .edit(cm -> {
          cm.getData().put("mta-sts.txt", "version: STSv1\nmode: none\nmax_age: 1\n");
          return cm;
        });

    await().atMost(TIMEOUT).untilAsserted(() -> assertThat(get(ConfigMap.class, "example-com-policy").getData())
        .containsEntry("mta-sts.txt", TestPolicies.content(policy).body()));
  }

  @Test
  void aDeletedServiceIsPutBack() {
    apply(enforce("example.com"));
    await().atMost(TIMEOUT).until(() -> get(Service.class, "example-com-policy-server") != null);
    String uid = get(Service.class, "example-com-policy-server").getMetadata().getUid();

    client.services().inNamespace(namespace).withName("example-com-policy-server").delete();

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Service service = get(Service.class, "example-com-policy-server");
      assertThat(service).isNotNull();
      assertThat(service.getMetadata().getUid()).as("a new object").isNotEqualTo(uid);
    });
  }

  @Test
  void anIdEditedIntoStatusThatSendersWouldRefuseIsReplaced() {
    publish(enforce("example.com"));
    MtaStsPolicy current = client.resources(MtaStsPolicy.class).inNamespace(namespace).withName("example-com").get();
    current.getStatus().setPolicyId("not-a-valid-id!");
    client.resource(current).updateStatus();

    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(status("example-com").getPolicyId()).matches("\\d{16}"));
  }

  @Test
  void anObjectTheApiServerRefusesIsReportedInStatusAndTheLoopGoesOn() {
    // A quota of no Services; the test plays the quota controller, which fills in status.
    var quota = client.resource(new ResourceQuotaBuilder().withNewMetadata().withName("no-services")
        .withNamespace(namespace).endMetadata().withNewSpec().withHard(Map.of("services", new Quantity("0")))
        .endSpec().build()).create();
    quota.setStatus(new io.fabric8.kubernetes.api.model.ResourceQuotaStatusBuilder()
        .withHard(Map.of("services", new Quantity("0"))).withUsed(Map.of("services", new Quantity("0"))).build());
    client.resource(quota).updateStatus();

    apply(enforce("example.com"));

    await().atMost(TIMEOUT).untilAsserted(() -> {
      Condition ready = condition("example-com", "Ready");
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("ApplyFailed");
      assertThat(ready.getMessage()).startsWith("cannot apply the Service: ").contains("quota");
      assertThat(get(ConfigMap.class, "example-com-policy")).as("the other objects are applied").isNotNull();
    });

    client.resources(io.fabric8.kubernetes.api.model.ResourceQuota.class).inNamespace(namespace)
        .withName("no-services").delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(get(Service.class, "example-com-policy-server")).as("retried after the refusal").isNotNull();
      assertThat(condition("example-com", "Ready").getReason()).isNotEqualTo("ApplyFailed");
    });
  }

  /** Applies the policy, plays the rollout, the certificate and external-dns; returns the published id. */
  private String publish(MtaStsPolicy policy) {
    String name = policy.getMetadata().getName();
    apply(policy);
    await().atMost(TIMEOUT).until(() -> get(Deployment.class, name + "-policy-server") != null
        && get(Certificate.class, name + "-policy-tls") != null);
    standIns.finishRollout(name + "-policy-server");
    standIns.issueCertificate(name + "-policy-tls");
    await().atMost(TIMEOUT).until(() -> get(DNSEndpoint.class, name + "-txt") != null);
    standIns.readDnsEndpoint(name + "-txt");
    String id = status(name).getPolicyId();
    await().atMost(TIMEOUT).untilAsserted(() ->
        assertThat(stsRecords()).containsEntry("_mta-sts." + policy.getSpec().getDomains().get(0), "v=STSv1; id=" + id));
    return id;
  }

  private MtaStsPolicy apply(MtaStsPolicy policy) {
    policy.getMetadata().setNamespace(namespace);
    return client.resource(policy).forceConflicts().serverSideApply();
  }

  private <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(namespace).withName(name).get();
  }

  private MtaStsPolicyStatus status(String name) {
    MtaStsPolicy policy = get(MtaStsPolicy.class, name);
    assertThat(policy.getStatus()).as("status of %s", name).isNotNull();
    return policy.getStatus();
  }

  private Condition condition(String name, String type) {
    Optional<Condition> condition = ConditionList.find(status(name).getConditions(), type);
    assertThat(condition).as("condition %s of %s", type, name).isPresent();
    return condition.get();
  }

  /** _mta-sts record name to value, over every DNSEndpoint in the namespace. */
  private Map<String, String> stsRecords() {
    Map<String, String> records = new LinkedHashMap<>();
    client.resources(DNSEndpoint.class).inNamespace(namespace).list().getItems().forEach(e ->
        e.getSpec().getEndpoints().forEach(ep -> records.put(ep.getDnsName(), ep.getTargets().get(0))));
    return records;
  }

  private void assertNoDnsEndpointFor(Duration duration, String because) {
    await().during(duration).atMost(duration.plusSeconds(5)).untilAsserted(() ->
        assertThat(client.resources(DNSEndpoint.class).inNamespace(namespace).list().getItems())
            .as("no TXT record while %s", because).isEmpty());
  }

  private List<Event> events(String reason) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  private Map<String, String> resourceVersions() {
    Map<String, String> versions = new LinkedHashMap<>();
    for (Class<? extends HasMetadata> type : List.of(MtaStsPolicy.class, ConfigMap.class, Deployment.class,
        Service.class, Ingress.class, Certificate.class, DNSEndpoint.class)) {
      client.resources(type).inNamespace(namespace).list().getItems().forEach(o ->
          versions.put(type.getSimpleName() + "/" + o.getMetadata().getName(), o.getMetadata().getResourceVersion()));
    }
    return versions;
  }
}
