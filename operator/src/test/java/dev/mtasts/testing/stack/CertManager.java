package dev.mtasts.testing.stack;

import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RestartableDaemon;
import dev.mtasts.testing.TestDaemon;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * cert-manager's controller (github.com/cert-manager/cert-manager, started by our own small main, built by
 * test-infra/cert-manager.sh without the Venafi issuer) with the module's CRDs, and a CA to issue from: a
 * self-signed ClusterIssuer signs a CA Certificate, and the ClusterIssuer {@value #CA_ISSUER} issues from it, as a
 * private PKI would. Its webhook does not run: cert-manager's defaulting and validation of what we send is not
 * checked here (the CRD schemas are).
 */
final class CertManager implements AutoCloseable {

  static final String NAMESPACE = "cert-manager";
  static final String CA_ISSUER = "mtasts-test-ca";
  private static final String CA_SECRET = "mtasts-test-ca";

  private final RestartableDaemon controller;
  private final KubernetesCluster cluster;

  private CertManager(RestartableDaemon controller, KubernetesCluster cluster) {
    this.controller = controller;
    this.cluster = cluster;
  }

  static CertManager start(KubernetesCluster cluster, Path dir) {
    String version = KubernetesCluster.pinnedVersions().get("CERT_MANAGER_VERSION");
    cluster.installCrdFile(StackBinaries.cachedFile("cert-manager/" + version + "/crds.yaml",
        "test-infra/cert-manager.sh"));
    var client = cluster.client();
    apply(cluster, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + NAMESPACE + "\n");
    RestartableDaemon controller = RestartableDaemon.start(n -> TestDaemon.start(List.of(
        StackBinaries.cached("cert-manager-controller", "test-infra/cert-manager.sh").toString(),
        "--kubeconfig", cluster.kubeconfigFile().toString(),
        "--cluster-resource-namespace", NAMESPACE,
        "--leader-elect=false"),
        dir.resolve(RestartableDaemon.logName("cert-manager.log", n)), () -> true, Duration.ofSeconds(5)));
    apply(cluster, """
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata:
          name: mtasts-test-selfsigned
        spec:
          selfSigned: {}
        ---
        apiVersion: cert-manager.io/v1
        kind: Certificate
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          isCA: true
          commonName: mta-sts-operator test CA
          secretName: %3$s
          duration: 720h
          privateKey:
            algorithm: ECDSA
            size: 256
          issuerRef:
            name: mtasts-test-selfsigned
            kind: ClusterIssuer
            group: cert-manager.io
        ---
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata:
          name: %1$s
        spec:
          ca:
            secretName: %3$s
        """.formatted(CA_ISSUER, NAMESPACE, CA_SECRET));
    TestDaemon.waitUntil(Duration.ofSeconds(90), () -> ready(client.genericKubernetesResources("cert-manager.io/v1",
        "ClusterIssuer").withName(CA_ISSUER).get()),
        () -> "cert-manager did not make ClusterIssuer " + CA_ISSUER + " Ready; see " + dir.resolve("cert-manager.log"));
    return new CertManager(controller, cluster);
  }

  private static void apply(KubernetesCluster cluster, String yaml) {
    cluster.client().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).serverSideApply();
  }

  static boolean ready(GenericKubernetesResource resource) {
    if (resource == null || !(resource.getAdditionalProperties().get("status") instanceof Map<?, ?> status)
        || !(status.get("conditions") instanceof List<?> conditions)) {
      return false;
    }
    return conditions.stream().anyMatch(c -> c instanceof Map<?, ?> m && "Ready".equals(m.get("type"))
        && "True".equals(m.get("status")));
  }

  byte[] caPem() {
    Secret secret = cluster.client().secrets().inNamespace(NAMESPACE).withName(CA_SECRET).get();
    return Base64.getDecoder().decode(secret.getData().get("ca.crt"));
  }

  /** Another ClusterIssuer signing with the same CA: switching to it changes nothing a sender checks. */
  void addCaIssuer(String name) {
    apply(cluster, """
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata:
          name: %s
        spec:
          ca:
            secretName: %s
        """.formatted(name, CA_SECRET));
    TestDaemon.waitUntil(Duration.ofSeconds(60), () -> ready(cluster.client().genericKubernetesResources(
        "cert-manager.io/v1", "ClusterIssuer").withName(name).get()), () -> "ClusterIssuer " + name + " not Ready");
  }

  /** Stops the controller at once (SIGKILL): issued certificates stay, nothing new is issued. */
  void kill() {
    controller.kill();
  }

  void restart() {
    controller.start();
  }

  @Override
  public void close() {
    controller.close();
  }
}
