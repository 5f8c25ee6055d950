package dev.mtasts.publication;

import static dev.mtasts.testing.TestPolicies.enforce;
import static dev.mtasts.testing.TestPolicies.gateway;
import static dev.mtasts.testing.TestPolicies.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.IngressSettings;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyExposureTest {

  static final OperatorSettings DEFAULTS = OperatorSettings.defaults();
  static final OperatorSettings THROUGH_SHARED = DEFAULTS.withDefaultGateway(gateway("infra", "shared", null, true));

  @Test
  void anIngressUnlessAGatewayIsNamed() {
    assertThat(PolicyExposure.of(enforce("example.com"), DEFAULTS)).isInstanceOf(PolicyExposure.ThroughIngress.class);
    assertThat(PolicyExposure.of(enforce("example.com"), DEFAULTS).gateway()).isEmpty();
  }

  @Test
  void thePolicysGatewayWithItsNamespaceOrThePolicys() {
    MtaStsPolicy inItsOwn = with(enforce("example.com"), s -> s.setGateway(gateway(null, "shared", null, true)));
    MtaStsPolicy elsewhere = with(enforce("example.com"), s -> s.setGateway(gateway("infra", "edge", "https",
        false)));
    inItsOwn.getMetadata().setNamespace("mail");

    assertThat(PolicyExposure.of(inItsOwn, DEFAULTS).gateway()).contains(
        new PolicyExposure.ThroughGateway("shared", "mail", Optional.empty(), true));
    assertThat(PolicyExposure.of(elsewhere, THROUGH_SHARED).gateway()).as("the policy's own over the default")
        .contains(new PolicyExposure.ThroughGateway("edge", "infra", Optional.of("https"), false));
  }

  @Test
  void theOperatorsDefaultGatewayUnlessThePolicyChoosesAnIngress() {
    assertThat(PolicyExposure.of(enforce("example.com"), THROUGH_SHARED).gateway())
        .contains(new PolicyExposure.ThroughGateway("shared", "infra", Optional.empty(), true));
    assertThat(PolicyExposure.of(with(enforce("example.com"), s -> s.setIngress(new IngressSettings())),
        THROUGH_SHARED)).isInstanceOf(PolicyExposure.ThroughIngress.class);
  }

  @Test
  void gatewayApiIsOnUnlessTurnedOff() {
    assertThat(DEFAULTS.gatewayApi()).isTrue();
    assertThat(DEFAULTS.withGatewayApi(false).gatewayApi()).isFalse();
    assertThat(DEFAULTS.withGatewayApi(false).withDefaultGateway(gateway("infra", "shared", null, true))
        .gatewayApi()).as("kept by the other withers").isFalse();
  }
}
