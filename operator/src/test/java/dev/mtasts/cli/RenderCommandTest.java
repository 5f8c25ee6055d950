package dev.mtasts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.Examples;
import dev.mtasts.testing.GoldenFile;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RenderCommandTest {

  static Path examples() {
    return Examples.root();
  }

  static Stream<String> bundledExamples() {
    return Examples.policies().stream().map(Path::toString);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bundledExamples")
  void rendersEachExampleAsItsGoldenFile(String example) {
    // As the chart installs the operator: with the report receiver (which only a policy with tlsRpt.receive uses).
    CommandRun run = CommandRun.of("render", "-f", examples().resolve(example).toString(),
        "--report-receiver-url", "http://mta-sts-operator-reports.mta-sts.svc.cluster.local:8090",
        "--report-receiver-resolver", "10.96.0.10");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    GoldenFile.assertMatches(
        GoldenFile.repoRoot().resolve("operator/src/test/resources/golden").resolve(example), run.out());
  }

  @Test
  void readsStandardInputAndDefaultsTheNamespace() {
    CommandRun run = CommandRun.withStdin("""
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata:
          name: example-com
        spec:
          domains: [example.com]
          mx: [mx.example.com]
        """, "render", "-f", "-");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("namespace: \"default\"")
        .contains("mode: testing\\r\\n")
        .contains("v=STSv1; id=2026112307000000");
  }

  static final String POLICY = """
      apiVersion: mtasts.dev/v1alpha1
      kind: MtaStsPolicy
      metadata:
        name: example-com
        namespace: mail
      spec:
        domains: [example.com]
        mx: [mx.example.com]
      """;

  @Test
  void theDefaultGatewayRendersRoutesAndAListenerSetInsteadOfAnIngress() {
    CommandRun run = CommandRun.withStdin(POLICY, "render", "--default-gateway", "infra/shared", "-f", "-");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("kind: \"HTTPRoute\"", "kind: \"ListenerSet\"", "namespace: \"infra\"")
        .doesNotContain("kind: \"Ingress\"");
  }

  @Test
  void theGatewaysOwnListenersRenderOnlyTheRoutesOnItsSection() {
    CommandRun run = CommandRun.withStdin(POLICY, "render", "--default-gateway", "infra/shared/https",
        "--default-gateway-listeners", "Gateway", "-f", "-");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("kind: \"HTTPRoute\"", "sectionName: \"https\"")
        .doesNotContain("kind: \"ListenerSet\"", "kind: \"Ingress\"");
  }

  @Test
  void aMalformedDefaultGatewayIsRefusedNamingTheFlagAndTheRule() {
    assertThat(CommandRun.withStdin(POLICY, "render", "--default-gateway", "shared", "-f", "-"))
        .satisfies(run -> {
          assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
          assertThat(run.err()).contains("--default-gateway: \"shared\" must be NAMESPACE/NAME or"
              + " NAMESPACE/NAME/SECTION, each a DNS name in lower case");
        });
    assertThat(CommandRun.withStdin(POLICY, "render", "--default-gateway", "infra/shared/https", "-f", "-").err())
        .contains("--default-gateway: a SECTION (\"https\") names a listener of the Gateway, which only"
            + " --default-gateway-listeners=Gateway attaches to");
    assertThat(CommandRun.withStdin(POLICY, "render", "--default-gateway", "infra/shared",
        "--default-gateway-listeners", "Own", "-f", "-").err())
        .contains("--default-gateway-listeners: \"Own\" is neither ListenerSet nor Gateway");
    assertThat(CommandRun.withStdin(POLICY, "render", "--report-receiver-url", "https://reports:8090/x", "-f", "-"))
        .satisfies(run -> {
          assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
          assertThat(run.err()).contains("--report-receiver-url: \"https://reports:8090/x\" must be http://HOST:PORT");
        });
  }

  @Test
  void keepsTheIdFromStatusWhenThePolicyIsUnchanged() {
    CommandRun first = CommandRun.of("render", "-f", examples().resolve("single-domain-testing.yaml").toString());
    String hash = first.out().lines().filter(l -> l.startsWith("# MtaStsPolicy")).findFirst().orElseThrow()
        .replaceAll(".*policy hash ", "");

    CommandRun run = CommandRun.withStdin("""
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata: {name: example-com, namespace: mail}
        spec:
          domains: [example.com]
          mode: testing
          mx: [mx1.example.com, mx2.example.com]
          maxAge: 86400
        status:
          policyId: "20250101000000"
          policyHash: "%s"
        """.formatted(hash), "render", "-f", "-");

    assertThat(run.out()).contains("policy id 20250101000000 (unchanged)").contains("id=20250101000000\"");
  }

  @Test
  void aDomainListedTwiceGoesToTheEarlierDocumentAndStandardErrorNamesIt() {
    CommandRun run = CommandRun.of("render", "-f",
        GoldenFile.repoRoot().resolve("operator/src/test/resources/render/two-policies-one-domain.yaml").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEqualTo("MtaStsPolicy mail/b-example-org: example.com is claimed by the older"
        + " MtaStsPolicy mail/a-example-com; its records leave the domain out\n");
    String loser = run.out().substring(run.out().indexOf("# MtaStsPolicy mail/b-example-org"));
    assertThat(loser).contains("mta-sts.example.org").contains("_mta-sts.example.org")
        .doesNotContain("example.com");
    assertThat(run.out().substring(0, run.out().indexOf("# MtaStsPolicy mail/b-example-org")))
        .contains("_mta-sts.example.com");
  }

  @Test
  void anUpperCaseDomainIsRenderedInLowerCase() {
    CommandRun run = CommandRun.withStdin("""
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata: {name: example-com, namespace: mail}
        spec:
          domains: [Example.COM]
          mx: [mx.example.com]
        """, "render", "-f", "-");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("mta-sts.example.com").contains("_mta-sts.example.com")
        .doesNotContain("Example.COM\"");
  }

  @Test
  void invalidResourcePrintsEveryProblemAndNothingElse() {
    CommandRun run = CommandRun.withStdin("""
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata: {name: bad, namespace: mail}
        spec:
          domains: [example_com.test]
          mode: enforce
          mx: ["*.*.example.com"]
          maxAge: 40000000
        """, "render", "-f", "-");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().toList()).containsAll(List.of(
        "MtaStsPolicy mail/bad is invalid:",
        "  spec.maxAge: 40000000 is above 31557600 (RFC 8461 §3.2)"));
    assertThat(run.err()).contains("spec.domains[0]: \"example_com.test\"").contains("spec.mx[0]: ");
  }

  @Test
  void unknownFieldsAndWrongKindsAreRefusedNamingThem() {
    CommandRun run = CommandRun.withStdin("""
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata: {name: typo}
        spec:
          domains: [example.com]
          mxx: [mx.example.com]
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: other}
        ---
        apiVersion: mtasts.dev/v1alpha1
        kind: MtaStsPolicy
        metadata: {name: badmode}
        spec:
          domains: [example.com]
          mode: strict
        """, "render", "-f", "-");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines().toList()).containsExactly(
        "<stdin> (document 1): spec.mxx: unknown field",
        "<stdin> (document 2): apiVersion/kind: \"v1/ConfigMap\" is not mtasts.dev/v1alpha1/MtaStsPolicy",
        "<stdin> (document 3): spec.mode: strict is not a valid PolicyMode (one of enforce, testing, none)");
  }

  @Test
  void missingFileIsAnErrorNamingIt() {
    CommandRun run = CommandRun.of("render", "-f", "no/such/file.yaml");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith("no/such/file.yaml: cannot read");
  }

  @Test
  void noFileIsAUsageError() {
    assertThat(CommandRun.of("render").exitCode()).isEqualTo(2);
  }
}
