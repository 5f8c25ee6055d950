package dev.mtasts.testing;

import static org.awaitility.Awaitility.await;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.externaldns.DNSEndpointStatus;
import io.fabric8.certmanager.api.model.v1.Certificate;
import io.fabric8.certmanager.api.model.v1.CertificateConditionBuilder;
import io.fabric8.certmanager.api.model.v1.CertificateStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A bare API server runs no controllers: the tests play the Deployment controller, cert-manager and external-dns
 * by writing the status those would write, at the moment the test chooses. They are stand-ins because no kubelet
 * can run pods here (no container runtime), and the real kube-controller-manager, cert-manager and external-dns
 * are not yet built by test-infra/ (the real-stack issue); each call waits for the operator to have created the
 * object, as the real controller would act only on an object that exists.
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
