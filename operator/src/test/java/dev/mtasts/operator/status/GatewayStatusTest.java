package dev.mtasts.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyExposure;
import dev.mtasts.testing.GatewayStatuses;
import dev.mtasts.testing.TestObservations;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** GatewayAccepted in the status of a policy exposed through a Gateway: a step of Ready, and what DNS waits for. */
class GatewayStatusTest {

  /** Everything done, through a Gateway whose controller reports these states on our objects. */
  static TestObservations throughGateway(List<Condition> listenerSet, List<Condition> listeners,
      Condition... route) {
    TestObservations seen = TestObservations.allDone();
    seen.policy = TestPolicies.throughGateway("example.com");
    OperatorSettings settings = OperatorSettings.defaults();
    seen.gateway = PolicyExposure.of(seen.policy, settings).gateway();
    seen.listenerSet = GatewayStatuses.listenerSet(seen.policy, settings, seen.published(), listenerSet, listeners);
    seen.routes = GatewayStatuses.routes(seen.policy, settings, seen.published(), route);
    return seen;
  }

  static Optional<Condition> condition(MtaStsPolicyStatus status, String type) {
    return ConditionList.find(status.getConditions(), type);
  }

  @Test
  void acceptedRoutesAreAStepOfReady() {
    MtaStsPolicyStatus status = throughGateway(GatewayStatuses.listenerSetAccepted(),
        GatewayStatuses.listenerProgrammed(), GatewayStatuses.routeAccepted()).withStatus().getStatus();

    assertThat(condition(status, "GatewayAccepted")).get()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("RoutesAccepted"));
    assertThat(condition(status, "Ready")).get().satisfies(c -> assertThat(c.getReason()).isEqualTo("Published"));
    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactly("PolicyServed", "GatewayAccepted", "CertificateReady", "DnsPublished", "MxCovered", "Ready");
  }

  @Test
  void readyWaitsForTheGatewayAndSaysSo() {
    TestObservations seen = throughGateway(GatewayStatuses.listenerSetAccepted(),
        GatewayStatuses.listenerProgrammed());
    seen.recordsWritten = false;
    MtaStsPolicyStatus status = seen.withStatus().getStatus();

    assertThat(condition(status, "Ready")).get().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("WaitingForGateway");
    });
    assertThat(condition(status, "DnsPublished")).get().satisfies(c ->
        assertThat(c.getMessage()).contains("waiting for the Gateway to accept the routes"));
  }

  @Test
  void anAcceptedGatewayLeavesTheCertificateToWaitFor() {
    TestObservations seen = throughGateway(GatewayStatuses.listenerSetAccepted(),
        GatewayStatuses.listenerProgrammed(), GatewayStatuses.routeAccepted());
    seen.recordsWritten = false;
    seen.certificate = Optional.of(TestObservations.certificate("False"));
    MtaStsPolicyStatus status = seen.withStatus().getStatus();

    assertThat(condition(status, "DnsPublished")).get().satisfies(c ->
        assertThat(c.getMessage()).contains("waiting for the certificate")
            .doesNotContain("waiting for the Gateway"));
  }

  @Test
  void anInvalidSpecShowsNoGatewayStep() {
    TestObservations seen = throughGateway(GatewayStatuses.listenerSetAccepted(),
        GatewayStatuses.listenerProgrammed(), GatewayStatuses.routeAccepted());
    seen.errors = List.of("spec.gateway.parentRef.name: required");
    MtaStsPolicyStatus status = seen.withStatus().getStatus();

    assertThat(condition(status, "GatewayAccepted")).isEmpty();
    assertThat(condition(status, "Ready")).get().satisfies(c -> assertThat(c.getReason()).isEqualTo("InvalidSpec"));
  }
}
