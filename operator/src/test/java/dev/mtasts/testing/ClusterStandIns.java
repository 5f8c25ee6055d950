package dev.mtasts.testing;

import static org.awaitility.Awaitility.await;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.DNSEndpointStatus;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateConditionBuilder;
import io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder;
import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.desired.SharedPolicyServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A bare API server runs no controllers: the tests play the Deployment controller, cert-manager and external-dns
 * by writing the status those would write, at the moment the test chooses. They are stand-ins because no kubelet
 * can run pods here (no container runtime), and the real kube-controller-manager, cert-manager and external-dns
 * are not yet built by test-infra/ (the real-stack issue); each call waits for the operator to have created the
 * object, as the real controller would act only on an object that exists.
 *
 * <p>{@link #runSharedServer} also stands in for the shared policy server's pods, the kubelet that mounts their
 * files and the EndpointSlice controller: the operator probes every ready endpoint of that server before it routes
 * a policy there, and without pods there would be none. A real Debian nginx serves what the pods would.
 */
public final class ClusterStandIns {

  private final KubernetesClient client;
  private final String namespace;

  public ClusterStandIns(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /** As the Deployment controller after a finished rollout: every replica updated and available, none old. */
  public void finishRollout(String deployment) {
    Deployment current = created(() -> client.apps().deployments().inNamespace(namespace).withName(deployment).get());
    int replicas = current.getSpec().getReplicas();
    current.setStatus(new DeploymentStatusBuilder()
        .withObservedGeneration(current.getMetadata().getGeneration())
        .withReplicas(replicas)
        .withUpdatedReplicas(replicas)
        .withReadyReplicas(replicas)
        .withAvailableReplicas(replicas)
        .build());
    client.resource(current).updateStatus();
  }

  /**
   * As the namespace's shared policy server once its rollout finished: its Deployment rolled out, one pod at
   * {@code podAddress} (in 10.42.0.0/16, which test-infra/setup.sh routes to this host: the API server refuses
   * loopback endpoints) running nginx on the files the kubelet would mount (the server's ConfigMap, and each
   * projected member ConfigMap's policy as {@code policies/<host>}), and a ready endpoint for it in an
   * EndpointSlice of the server's Service. The caller closes the nginx.
   */
  public LocalNginx runSharedServer(InetSocketAddress podAddress, Path dir) {
    Deployment server = created(() -> {
      Deployment d = client.apps().deployments().inNamespace(namespace).withName(SharedPolicyServer.NAME).get();
      return d == null || projected(d).isEmpty() ? null : d;
    });
    finishRollout(SharedPolicyServer.NAME);
    Map<String, String> files = new LinkedHashMap<>(created(() -> client.configMaps().inNamespace(namespace)
        .withName(SharedPolicyServer.NAME).get()).getData());
    projected(server).forEach((path, source) -> {
      ConfigMap member = created(() -> client.configMaps().inNamespace(namespace).withName(source.getKey()).get());
      files.put("policies/" + path, member.getData().get(source.getValue()));
    });
    LocalNginx nginx;
    try {
      Files.createDirectories(dir.resolve("mount/policies"));
      nginx = LocalNginx.serve(files, dir, podAddress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    EndpointSlice slice = new EndpointSliceBuilder()
        .withNewMetadata().withName(SharedPolicyServer.NAME + "-standin")
            .addToLabels("kubernetes.io/service-name", SharedPolicyServer.NAME).endMetadata()
        .withAddressType("IPv4")
        .addNewPort().withName(PolicyServerDeployment.PORT_NAME).withPort(PolicyServerDeployment.HTTP_PORT)
            .withProtocol("TCP").endPort()
        .addNewEndpoint().withAddresses(podAddress.getAddress().getHostAddress())
            .withNewConditions().withReady(true).endConditions().endEndpoint()
        .build();
    client.resources(EndpointSlice.class).inNamespace(namespace).resource(slice).create();
    return nginx;
  }

  /** Each projected file of the Deployment's pods (its path under policies/): the ConfigMap and key it comes from. */
  private static Map<String, Map.Entry<String, String>> projected(Deployment deployment) {
    Map<String, Map.Entry<String, String>> files = new LinkedHashMap<>();
    deployment.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getProjected() != null)
        .flatMap(v -> v.getProjected().getSources().stream()).map(s -> s.getConfigMap()).filter(Objects::nonNull)
        .forEach(source -> source.getItems().forEach(item -> files.put(item.getPath(),
            Map.entry(source.getName(), item.getKey()))));
    return files;
  }

  /** As cert-manager once the certificate is issued. */
  public void issueCertificate(String certificate) {
    Certificate current = created(() -> client.resources(Certificate.class).inNamespace(namespace).withName(certificate)
        .get());
    current.setStatus(new CertificateStatusBuilder()
        .withConditions(new CertificateConditionBuilder()
            .withType("Ready").withStatus("True").withReason("Ready")
            .withMessage("Certificate is up to date and has not expired")
            .withObservedGeneration(current.getMetadata().getGeneration())
            .build())
        .build());
    client.resource(current).updateStatus();
  }

  /** As external-dns once it has read the DNSEndpoint (source/crd.go sets observedGeneration). */
  public void readDnsEndpoint(String dnsEndpoint) {
    DNSEndpoint current = created(() -> client.resources(DNSEndpoint.class).inNamespace(namespace).withName(dnsEndpoint)
        .get());
    DNSEndpointStatus status = new DNSEndpointStatus();
    status.setObservedGeneration(current.getMetadata().getGeneration());
    current.setStatus(status);
    client.resource(current).updateStatus();
  }

  /**
   * The object once the operator has created it: a controller acts on objects that exist, and the operator creates
   * them in its own order (the Deployment after the ConfigMap), so a caller need not know that order.
   */
  private static <T> T created(Callable<T> get) {
    return await().atMost(Duration.ofSeconds(30)).until(get, Objects::nonNull);
  }
}
