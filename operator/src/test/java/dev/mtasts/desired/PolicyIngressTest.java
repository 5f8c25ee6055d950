package dev.mtasts.desired;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.TestPolicies;
import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyIngressTest {

  private static Ingress ingress(MtaStsPolicy policy, OperatorSettings settings) {
    return PolicyIngress.desired(policy, settings, PolicyBuildersTest.published(policy));
  }

  @Test
  void oneRulePerPolicyHostForTheExactPolicyPath() {
    Ingress ingress = ingress(enforce("example.com", "example.org"), OperatorSettings.defaults());

    assertThat(ingress.getSpec().getRules()).extracting(r -> r.getHost())
        .containsExactly("mta-sts.example.com", "mta-sts.example.org");
    assertThat(ingress.getSpec().getRules()).allSatisfy(rule -> assertThat(rule.getHttp().getPaths())
        .singleElement()
        .satisfies(path -> {
          assertThat(path.getPath()).isEqualTo("/.well-known/mta-sts.txt");
          assertThat(path.getPathType()).isEqualTo("Exact");
          assertThat(path.getBackend().getService().getName()).isEqualTo("example-com-policy-server");
          assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
        }));
  }

  @Test
  void tlsFromTheCertificateSecretAndHostnamesForExternalDns() {
    Ingress ingress = ingress(enforce("example.com", "example.org"), OperatorSettings.defaults());

    assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
      assertThat(tls.getSecretName()).isEqualTo("example-com-policy-tls");
      assertThat(tls.getHosts()).containsExactly("mta-sts.example.com", "mta-sts.example.org");
    });
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("external-dns.alpha.kubernetes.io/hostname", "mta-sts.example.com,mta-sts.example.org");
  }

  @Test
  void policyAnnotationsAndClassOverrideTheOperatorDefaults() {
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings = new OperatorSettings(defaults.issuer(), "nginx",
        Map.of("team", "platform", "lb", "default"), 300, 2, defaults.nginxImage(), Map.of());
    MtaStsPolicy policy = with(enforce("example.com"), s -> {
      IngressSettings ingress = new IngressSettings();
      ingress.setClassName("traefik");
      ingress.setAnnotations(Map.of("lb", "internal"));
      s.setIngress(ingress);
    });

    Ingress ingress = ingress(policy, settings);

    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
    assertThat(ingress.getMetadata().getAnnotations())
        .containsEntry("team", "platform")
        .containsEntry("lb", "internal");
  }

  static Stream<Arguments> ingressClasses() {
    return Stream.of(
        Arguments.of("the operator's default class", null, "nginx", "nginx"),
        Arguments.of("the policy's class over the operator's", "traefik", "nginx", "traefik"),
        Arguments.of("an empty default leaves the choice to the cluster", null, "", null),
        Arguments.of("no default leaves the choice to the cluster", null, null, null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ingressClasses")
  void theIngressClassIsThePolicysElseTheOperatorsElseTheClusters(String description, String policyClass,
      String operatorClass, String expected) {
    OperatorSettings defaults = OperatorSettings.defaults();
    OperatorSettings settings = new OperatorSettings(
        defaults.issuer(), operatorClass, Map.of(), 300, 2, defaults.nginxImage(), Map.of());
    MtaStsPolicy policy = with(enforce("example.com"), s -> {
      IngressSettings ingress = new IngressSettings();
      ingress.setClassName(policyClass);
      s.setIngress(policyClass == null ? null : ingress);
    });

    assertThat(ingress(policy, settings).getSpec().getIngressClassName()).isEqualTo(expected);
  }

  @Test
  void aDomainLeftOutOfThePublishedPolicyGetsNoRule() {
    MtaStsPolicy policy = enforce("example.com", "example.org");
    var published = TestPolicies.published(policy, "1", List.of("example.org"));

    Ingress ingress = PolicyIngress.desired(policy, OperatorSettings.defaults(), published);

    assertThat(ingress.getSpec().getRules()).extracting(r -> r.getHost()).containsExactly("mta-sts.example.org");
  }
}
