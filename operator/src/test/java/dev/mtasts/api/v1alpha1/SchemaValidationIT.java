package dev.mtasts.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.InvalidResources;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.ServerSideApply;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD's schema on a real API server: every invalid resource is refused by {@code kubectl apply} with a message
 * that names the offending field, and the edge cases that the RFC allows are accepted.
 */
@ExtendWith(RealKubernetes.class)
class SchemaValidationIT {

  static final String NAMESPACE = "schema-validation";

  @BeforeAll
  static void namespace(KubernetesClient client) {
    client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata().withName(NAMESPACE).endMetadata().build()).serverSideApply();
  }

  static Stream<InvalidResources.Case> invalidResources() {
    return InvalidResources.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void refusedNamingTheField(InvalidResources.Case invalid, KubernetesClient client) {
    var refusal = ServerSideApply.dryRun(client, GoldenFile.read(invalid.file()), NAMESPACE);

    assertThat(refusal).as("the API server accepted %s", invalid.file().getFileName()).isPresent();
    assertThat(refusal.get()).contains(invalid.expected());
  }

  static Stream<Arguments> validEdgeCases() {
    String hundredDomains = IntStream.range(0, 100).mapToObj(i -> "d" + i + ".example.com")
        .collect(Collectors.joining(", ", "[", "]"));
    String longest = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(55) + ".com";
    return Stream.of(
        Arguments.of("max age 0", "edge", "domains: [example.com]\n  mx: [mx.example.com]\n  maxAge: 0"),
        Arguments.of("max age one year", "edge", "domains: [example.com]\n  mx: [mx.example.com]\n  maxAge: 31557600"),
        Arguments.of("mode none without mx", "edge", "domains: [example.com]\n  mode: none"),
        Arguments.of("100 domains", "edge", "domains: " + hundredDomains + "\n  mx: [mx.example.com]"),
        Arguments.of("wildcard mx", "edge", "domains: [example.com]\n  mode: enforce\n  mx: [\"*.example.com\"]"),
        Arguments.of("upper-case mx", "edge", "domains: [example.com]\n  mode: enforce\n  mx: [MX.Example.com]"),
        // RFC 4343: the same DNS name; the operator publishes "example.com".
        Arguments.of("upper-case domain", "edge", "domains: [Example.COM]\n  mx: [mx.example.com]"),
        Arguments.of("242-character domain", "edge", "domains: [" + longest + "]\n  mx: [mx.example.com]"),
        Arguments.of("https and mailto rua", "edge", "domains: [example.com]\n  mx: [mx.example.com]\n"
            + "  tlsRpt: {rua: [\"https://reports.example.com/v1?x=%2C\", \"mailto:tls+rpt@example.com\"]}"),
        Arguments.of("48-character name", "a" + "b".repeat(47), "domains: [example.com]\n  mx: [mx.example.com]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validEdgeCases")
  void accepted(String description, String name, String spec, KubernetesClient client) {
    String yaml = "apiVersion: mtasts.dev/v1alpha1\nkind: MtaStsPolicy\nmetadata:\n  name: " + name
        + "\nspec:\n  " + spec + "\n";

    assertThat(ServerSideApply.dryRun(client, yaml, NAMESPACE)).as(description).isEmpty();
  }
}
