package dev.mtasts.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.publication.PolicyContent;
import dev.mtasts.testing.TestPolicies;
import dev.mtasts.rfc.Mode;
import dev.mtasts.rfc.MxPattern;
import dev.mtasts.testing.Examples;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples do what their comments say. (Every policy example is also rendered against a golden file by
 * RenderCommandTest and accepted by the API server in CrdOnApiServerIT; the Helm values by HelmChartIT.)
 */
class ExamplesTest {

  @Test
  void everyExampleIsAPolicyHelmValuesOrArgoCdObject() {
    assertThat(Examples.all()).allSatisfy(example -> assertThat(
        Examples.policies().contains(example) || example.startsWith("helm") || example.startsWith("argocd"))
        .as("%s is not tested as a policy, Helm values or Argo CD object", example).isTrue());
    assertThat(Examples.policies()).hasSizeGreaterThanOrEqualTo(10);
  }

  /** The lifecycle of one domain: each step edits the same object, so Git holds one file that changes. */
  @Test
  void stagedRolloutThenRetirementEditOneObjectAndChangeThePolicyEachTime() {
    List<MtaStsPolicy> steps = Stream.of(
        "staged-rollout/1-testing.yaml", "staged-rollout/2-enforce.yaml", "retirement/mode-none.yaml")
        .map(Examples::policy).toList();

    assertThat(steps).extracting(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .as("one object, or the second step would be a DomainConflict").containsOnly("mail/example-com");
    assertThat(steps).extracting(p -> p.getSpec().getDomains()).containsOnly(List.of("example.com"));
    List<PolicyContent> contents = steps.stream().map(TestPolicies::content).toList();
    assertThat(contents).extracting(c -> c.policy().mode()).containsExactly(Mode.TESTING, Mode.ENFORCE, Mode.NONE);
    assertThat(contents).extracting(PolicyContent::hash).as("each step publishes a new id").doesNotHaveDuplicates();
  }

  @Test
  void retirementIsPublishedForLongerThanTheEnforcedPolicyWasCached() {
    long enforcedMaxAge = TestPolicies.content(Examples.policy("staged-rollout/2-enforce.yaml")).policy()
        .maxAgeSeconds();

    assertThat(Examples.text(Path.of("retirement/mode-none.yaml")))
        .contains("OLD max_age (" + enforcedMaxAge + " s here)");
  }

  static Stream<Arguments> providerMxHosts() {
    return Stream.of(
        Arguments.of("providers/google-workspace.yaml", List.of("smtp.google.com", "aspmx.l.google.com",
            "alt1.aspmx.l.google.com", "alt2.aspmx.l.google.com", "alt3.aspmx.l.google.com",
            "alt4.aspmx.l.google.com")),
        Arguments.of("providers/microsoft-365.yaml", List.of("example-org.mail.protection.outlook.com")),
        Arguments.of("providers/fastmail.yaml",
            List.of("in1-smtp.messagingengine.com", "in2-smtp.messagingengine.com")),
        Arguments.of("providers/proton-mail.yaml", List.of("mail.protonmail.ch", "mailsec.protonmail.ch")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providerMxHosts")
  void providerPatternsCoverTheMxHostsTheProviderDocuments(String example, List<String> mxHosts) {
    List<MxPattern> patterns = TestPolicies.content(Examples.policy(example)).policy().mx();

    assertThat(mxHosts).allSatisfy(host -> assertThat(patterns).as("patterns covering %s", host)
        .anySatisfy(pattern -> assertThat(pattern.matches(host)).isTrue()));
    assertThat(Examples.text(Path.of(example))).as("where the pattern comes from").contains("https://");
  }

  @Test
  void everyProviderExampleIsTested() {
    assertThat(providerMxHosts().map(a -> (String) a.get()[0]).toList()).containsExactlyInAnyOrderElementsOf(
        Examples.policies().stream().filter(p -> p.startsWith("providers")).map(Path::toString).toList());
  }
}
