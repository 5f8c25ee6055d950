package dev.mtasts.testing;

import static org.awaitility.Awaitility.await;

import dev.mtasts.testing.stack.StackBinaries;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceCIDRBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A real Kubernetes API server for integration tests, started once per test JVM: by default kube-apiserver and etcd
 * built by test-infra/k8s-binaries.sh and run by Fabric8 kube-api-test in offline mode; with
 * {@code -Dmtasts.kubernetes=k3s}, k3s in a container (needs a Docker engine). It never silently falls back: when
 * the chosen backend cannot start, the error says which command to run. {@link #startRestartable} runs the same
 * binaries with the same flags as a {@link ControlPlane} of our own, whose etcd and kube-apiserver a test can kill
 * and restart (the real stack does).
 */
public final class KubernetesCluster implements AutoCloseable {

  public static final String BACKEND_PROPERTY = "mtasts.kubernetes";
  /**
   * As OpenShift runs it: setting blockOwnerDeletion (every owned object does) then needs update on the owner's
   * finalizers, which ChartRbacIT proves the chart grants. Cluster admins pass it unchecked.
   */
  private static final List<String> OWNER_REFERENCES_FLAGS = List.of("--enable-admission-plugins",
      "OwnerReferencesPermissionEnforcement");

  private final String description;
  private final String kubeconfigYaml;
  private final Path kubeconfigFile;
  private final KubernetesClient client;
  private final AutoCloseable backend;
  private final Optional<ControlPlane> controlPlane;

  private KubernetesCluster(String description, String kubeconfigYaml, AutoCloseable backend,
      Optional<ControlPlane> controlPlane) {
    this.description = description;
    this.kubeconfigYaml = kubeconfigYaml;
    this.backend = backend;
    this.controlPlane = controlPlane;
    Config config = Config.fromKubeconfig(kubeconfigYaml);
    // A refusal must surface at once: the client's default retries on 5xx (server-side apply answers a wrong
    // type with 500) would add 19 s to each such test.
    config.setRequestRetryBackoffLimit(0);
    this.client = new KubernetesClientBuilder().withConfig(config).build();
    try {
      this.kubeconfigFile = Files.createTempFile("mtasts-kubeconfig", ".yaml");
      Files.writeString(kubeconfigFile, kubeconfigYaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts the backend chosen by {@value #BACKEND_PROPERTY} (default kube-api-test). */
  public static KubernetesCluster start() {
    String backend = System.getProperty(BACKEND_PROPERTY, "kube-api-test");
    return switch (backend) {
      case "kube-api-test" -> startKubeApiTest();
      case "k3s" -> K3sBackend.start();
      default -> throw new IllegalStateException(
          "-D" + BACKEND_PROPERTY + "=" + backend + ": expected kube-api-test or k3s");
    };
  }

  /**
   * kube-apiserver and etcd as kube-api-test runs them (same binaries and flags), but run by a {@link ControlPlane}
   * under dir, so that a test can kill and restart either while every client of the cluster keeps running.
   */
  public static KubernetesCluster startRestartable(Path dir) {
    String version = pinnedVersions().get("K8S_VERSION");
    ControlPlane controlPlane = ControlPlane.start(dir, requireBinaries(), OWNER_REFERENCES_FLAGS);
    KubernetesCluster cluster;
    try {
      cluster = new KubernetesCluster("kube-apiserver " + version + " (restartable, in " + dir + ")",
          controlPlane.kubeconfigYaml(), controlPlane, Optional.of(controlPlane));
    } catch (RuntimeException e) {
      controlPlane.close();
      throw e;
    }
    try {
      // What kube-api-test waits for after /readyz: the namespace its bootstrap controller creates.
      TestDaemon.waitUntil(Duration.ofSeconds(60),
          () -> cluster.client.namespaces().withName("default").get() != null,
          () -> "kube-apiserver made no default namespace; see " + dir.resolve("kube-apiserver.log"));
      cluster.widenServiceRange();
      return cluster;
    } catch (RuntimeException e) {
      cluster.closeQuietly();
      throw e;
    }
  }

  private static KubernetesCluster startKubeApiTest() {
    String version = pinnedVersions().get("K8S_VERSION");
    requireBinaries();
    KubeAPIServer server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
        .withOfflineMode(true)
        .withApiServerVersion(version)
        .withStartupTimeout(120_000)
        .withApiServerFlags(OWNER_REFERENCES_FLAGS)
        .build());
    server.start();
    KubernetesCluster cluster = new KubernetesCluster("kube-apiserver " + version + " (kube-api-test)",
        server.getKubeConfigYaml(), server::stop, Optional.empty());
    cluster.widenServiceRange();
    return cluster;
  }

  /** The directory of the pinned etcd, kube-apiserver and kubectl, failing with the command that builds them. */
  private static Path requireBinaries() {
    String version = pinnedVersions().get("K8S_VERSION");
    Path binaries = binaryDir();
    for (String binary : List.of("kube-apiserver", "etcd", "kubectl")) {
      if (!Files.isExecutable(binaries.resolve(binary))) {
        throw new IllegalStateException("No " + binary + " " + version + " in " + binaries
            + ": run test-infra/k8s-binaries.sh (it builds the pinned Kubernetes binaries)");
      }
    }
    return binaries;
  }

  /**
   * kube-api-test fixes --service-cluster-ip-range to 10.0.0.0/24, 254 ClusterIPs for the whole run; every policy
   * owns a Service, so add a ServiceCIDR (networking.k8s.io/v1, GA since 1.33) as a cluster admin would.
   */
  private void widenServiceRange() {
    client.resource(new ServiceCIDRBuilder()
        .withNewMetadata().withName("mtasts-tests").endMetadata()
        .withNewSpec().withCidrs("10.96.0.0/16").endSpec()
        .build()).serverSideApply();
  }

  /**
   * Where kube-api-test looks for the pinned binaries: ${KUBE_API_TEST_DIR:-~/.kubeapitest}/k8s/<version>-<os>-<arch>
   * (what test-infra/k8s-binaries.sh --print-dir prints).
   */
  public static Path binaryDir() {
    String testDir = System.getenv("KUBE_API_TEST_DIR");
    Path root = testDir != null && !testDir.isBlank() ? Path.of(testDir)
        : Path.of(System.getProperty("user.home"), ".kubeapitest");
    String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
    String arch = System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    return root.resolve("k8s").resolve(pinnedVersions().get("K8S_VERSION") + "-" + os + "-" + arch);
  }

  /** The versions pinned in test-infra/versions.env, the one place they are written. */
  public static Map<String, String> pinnedVersions() {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(GoldenFile.repoRoot().resolve("test-infra/versions.env"))) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.stringPropertyNames().stream()
        .collect(Collectors.toMap(k -> k, k -> properties.getProperty(k).trim()));
  }

  static KubernetesCluster of(String description, String kubeconfigYaml, AutoCloseable backend) {
    return new KubernetesCluster(description, kubeconfigYaml, backend, Optional.empty());
  }

  /** The etcd and kube-apiserver processes, to kill and restart, when started by {@link #startRestartable}. */
  public Optional<ControlPlane> controlPlane() {
    return controlPlane;
  }

  public KubernetesClient client() {
    return client;
  }

  public String kubeconfigYaml() {
    return kubeconfigYaml;
  }

  /** A kubeconfig file for command-line tools such as kubectl. */
  public Path kubeconfigFile() {
    return kubeconfigFile;
  }

  public String description() {
    return description;
  }

  /** Applies CRD files and waits until the API server reports each Established (no fixed sleep). */
  public void installCrds(List<Path> crdFiles) {
    for (Path file : crdFiles) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        client.resource(crd).forceConflicts().serverSideApply();
        await().atMost(Duration.ofSeconds(30)).until(() -> isEstablished(crd.getMetadata().getName()));
        // Established is not yet servable: the watch cache answers 429 "storage is (re)initializing" for a while.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> listable(crd));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Installs every CRD of a multi-document YAML file (as a project's release ships them), waiting as above. */
  public void installCrdFile(Path file) {
    try {
      Path dir = Files.createTempDirectory("mtasts-crds");
      int n = 0;
      try (InputStream in = Files.newInputStream(file)) {
        for (var resource : client.load(in).items()) {
          Path one = dir.resolve(String.format("%03d.yaml", n++));
          Files.writeString(one, client.getKubernetesSerialization().asYaml(resource));
        }
      }
      try (var files = Files.list(dir)) {
        installCrds(files.sorted().toList());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean listable(CustomResourceDefinition crd) {
    var version = crd.getSpec().getVersions().get(0).getName();
    client.genericKubernetesResources(crd.getSpec().getGroup() + "/" + version, crd.getSpec().getNames().getKind())
        .inAnyNamespace().list();
    return true;
  }

  private boolean isEstablished(String name) {
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(name).get();
    // Right after the apply, status can still be empty (no conditions list at all).
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
        && crd.getStatus().getConditions().stream()
            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * The standard-channel Gateway API CRDs at the pinned GATEWAY_API_VERSION, as test-infra/gateway-api.sh caches
   * them from the module: the schemas the operator's HTTPRoutes and ListenerSets must pass.
   */
  public void installGatewayApiCrds() {
    Path dir = StackBinaries.cachedFile("gateway-api/" + pinnedVersions().get("GATEWAY_API_VERSION") + "/crds",
        "test-infra/gateway-api.sh");
    try (var files = Files.list(dir)) {
      installCrds(files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Our own CRD, as committed under crds/. */
  public void installOurCrds() {
    try (var files = Files.list(GoldenFile.repoRoot().resolve("crds"))) {
      installCrds(files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted()
          .toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      // Already failing: the first error is the one to report.
    }
  }

  @Override
  public void close() throws Exception {
    client.close();
    Files.deleteIfExists(kubeconfigFile);
    backend.close();
  }
}
