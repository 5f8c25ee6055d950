package dev.mtasts.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.Examples;
import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.Helm;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.ServerSideApply;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart as a platform team installs it: {@code helm lint} and {@code helm template} pass with the default
 * values and with a fuller values file, and every rendered object is accepted by the real API server (server-side
 * apply, dry run, strict field validation).
 */
@ExtendWith(RealKubernetes.class)
class HelmChartIT {

  static final String RELEASE_NAMESPACE = "mta-sts";
  static final Path FULL_VALUES = GoldenFile.repoRoot().resolve("operator/src/test/resources/chart/full-values.yaml");

  @BeforeAll
  static void namespacesAndServiceMonitorCrd(KubernetesCluster cluster) {
    // The release namespace and the namespaces full-values.yaml watches, as an admin creates them before installing.
    for (String namespace : List.of(RELEASE_NAMESPACE, "mail", "mail-staging")) {
      cluster.client().namespaces().resource(new NamespaceBuilder()
          .withNewMetadata().withName(namespace).endMetadata().build()).serverSideApply();
    }
    cluster.installCrds(List.of(GoldenFile.repoRoot().resolve(
        "operator/src/test/resources/chart/servicemonitor-crd.yaml")));
  }

  static Stream<Arguments> valuesFiles() {
    return Stream.concat(Stream.of(
        Arguments.of("default values", List.of()),
        Arguments.of("full values", List.of("-f", FULL_VALUES.toString()))),
        Examples.helmValues().stream().map(example -> Arguments.of("examples/" + example,
            List.of("-f", Examples.root().resolve(example).toString()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesFiles")
  void lintPasses(String description, List<String> values) {
    var args = new java.util.ArrayList<>(List.of("lint", "--strict", Helm.chart().toString()));
    args.addAll(values);
    Helm.Result lint = Helm.run(args.toArray(String[]::new));

    assertThat(lint.exitCode()).as("helm lint:\n%s%s", lint.out(), lint.err()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valuesFiles")
  void renderedObjectsAcceptedByTheApiServer(String description, List<String> values, KubernetesClient client) {
    Helm.Result rendered = Helm.template(RELEASE_NAMESPACE, values.toArray(String[]::new));
    assertThat(rendered.exitCode()).as("helm template: %s", rendered.err()).isZero();

    List<String> documents = Helm.documents(rendered.out());
    assertThat(documents).isNotEmpty();
    for (String document : documents) {
      Optional<String> refusal = ServerSideApply.dryRun(client, document, RELEASE_NAMESPACE);
      assertThat(refusal).as("%s: the API server refused\n%s", description, document).isEmpty();
    }
  }

  @Test
  void crdIsTheRepositoryFile() {
    String rendered = Helm.template(RELEASE_NAMESPACE).out();
    String crd = GoldenFile.read(GoldenFile.repoRoot().resolve("crds/mtastspolicies.mtasts.dev-v1.yml"));

    // helm prints the file as is after its "# Source:" line, so any drift between the two would show here.
    assertThat(rendered).contains(crd.strip());
  }

  @Test
  void appVersionIsTheReleaseThisBuildMakes() {
    String chart = GoldenFile.read(Helm.chart().resolve("Chart.yaml"));
    String release = System.getProperty("mtasts.projectVersion", "").replace("-SNAPSHOT", "");

    // image.tag defaults to appVersion: a chart that names another release pulls an image nobody built from here.
    assertThat(release).as("mtasts.projectVersion, set by the build").isNotEmpty();
    assertThat(chart).contains("\nappVersion: \"" + release + "\"\n");
  }

  @Test
  void defaultsWatchEveryNamespaceWithAClusterRole() {
    String rendered = Helm.template(RELEASE_NAMESPACE).out();

    assertThat(rendered).contains("kind: ClusterRole\n", "kind: ClusterRoleBinding\n")
        .doesNotContain("kind: PodDisruptionBudget", "kind: ServiceMonitor");
  }

  @Test
  void reportsAreReceivedByDefaultBehindAServiceOnEveryReplica() {
    String rendered = Helm.template(RELEASE_NAMESPACE).out();

    assertThat(rendered).contains("name: mta-sts-mta-sts-operator-reports\n", "resources: [tlsrptreports]\n")
        .doesNotContain("kind: NetworkPolicy");
    assertThat(Helm.template(RELEASE_NAMESPACE, "--set", "reports.receiver.enabled=false").out())
        .as("neither a receiver nor a mailbox").doesNotContain("tlsrptreports]", "operator-reports");
    assertThat(Helm.template(RELEASE_NAMESPACE, "--set", "reports.receiver.enabled=false",
        "--set", "reports.mailbox.url=imaps://imap.example.com", "--set", "reports.mailbox.existingSecret=imap").out())
        .as("a mailbox alone").contains("resources: [tlsrptreports]\n").doesNotContain("operator-reports");
  }

  @Test
  void watchedNamespacesGetRolesAndNoClusterRights() {
    String rendered = Helm.template(RELEASE_NAMESPACE, "-f", FULL_VALUES.toString()).out();

    assertThat(rendered).doesNotContain("kind: ClusterRole")
        .contains("namespace: mail\n", "namespace: mail-staging\n")
        .contains("kind: PodDisruptionBudget", "kind: ServiceMonitor")
        .contains("value: \"mail,mail-staging\"")
        .contains("--default-ingress-annotation=nginx.ingress.kubernetes.io/ssl-redirect=false")
        .contains("--dns-endpoint-label=external-dns=public")
        .contains("kind: NetworkPolicy", "values: [\"mail\", \"mail-staging\"]");
  }
}
