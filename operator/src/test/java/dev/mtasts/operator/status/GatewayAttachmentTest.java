package dev.mtasts.operator.status;

import static dev.mtasts.testing.GatewayStatuses.condition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.v1alpha1.ConditionStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.Reasons;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PolicyExposure;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.testing.GatewayStatuses;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Gateway's documented states (GatewayStatuses), folded into one verdict with its own message. */
class GatewayAttachmentTest {

  static final MtaStsPolicy POLICY = TestPolicies.throughGateway("example.com", "example.org");
  static final OperatorSettings SETTINGS = OperatorSettings.defaults();
  static final PublishedPolicy PUBLISHED = TestPolicies.published(POLICY, "2026112307000000");
  static final PolicyExposure.ThroughGateway GATEWAY = PolicyExposure.of(POLICY, SETTINGS).gateway().orElseThrow();

  static ConditionList.Decided verdict(List<HTTPRoute> routes, Optional<ListenerSet> set) {
    return GatewayAttachment.of(GATEWAY, PUBLISHED.domains(), routes, set);
  }

  static Optional<ListenerSet> listenerSet(List<Condition> own, List<Condition> perListener) {
    return GatewayStatuses.listenerSet(POLICY, SETTINGS, PUBLISHED, own, perListener);
  }

  static List<HTTPRoute> routes(Condition... conditions) {
    return GatewayStatuses.routes(POLICY, SETTINGS, PUBLISHED, conditions);
  }

  @Test
  void acceptedRoutesOnProgrammedListenersHold() {
    ConditionList.Decided verdict = verdict(routes(GatewayStatuses.routeAccepted()),
        listenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed()));

    assertThat(verdict.status()).isEqualTo(ConditionStatus.TRUE);
    assertThat(verdict.reason()).isEqualTo(Reasons.ROUTES_ACCEPTED);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared accepted the routes of mta-sts.example.com,"
        + " mta-sts.example.org on the listeners of ListenerSet example-com-policy");
  }

  @Test
  void nothingCreatedOrReportedYetIsWaiting() {
    assertThat(verdict(List.of(), Optional.empty())).satisfies(v -> {
      assertThat(v.reason()).isEqualTo(Reasons.WAITING_FOR_GATEWAY);
      assertThat(v.message()).isEqualTo("the ListenerSet is not created yet");
    });
    // The CRD's default status: Accepted and Programmed Unknown, reason Pending, until a controller takes it.
    assertThat(verdict(routes(), listenerSet(List.of(
        condition("Accepted", "Unknown", "Pending", "Waiting for controller", 1),
        condition("Programmed", "Unknown", "Pending", "Waiting for controller", 1)), List.of())))
        .satisfies(v -> {
          assertThat(v.status()).isEqualTo(ConditionStatus.FALSE);
          assertThat(v.reason()).isEqualTo(Reasons.WAITING_FOR_GATEWAY);
          assertThat(v.message()).isEqualTo("ListenerSet example-com-policy: Accepted Unknown Pending: Waiting for"
              + " controller (does the Gateway's controller implement ListenerSet?)");
        });
    assertThat(verdict(routes(), listenerSet(GatewayStatuses.listenerSetAccepted(),
        GatewayStatuses.listenerProgrammed())).message())
        .isEqualTo("the Gateway infra/shared has not reported on HTTPRoute example-com-example.com"
            + " (mta-sts.example.com) yet");
  }

  @Test
  void aListenerSetTheGatewayDoesNotAllowIsRefusedWithItsMessage() {
    ConditionList.Decided verdict = verdict(routes(GatewayStatuses.routeAccepted()),
        listenerSet(GatewayStatuses.listenerSetNotAllowed(), List.of()));

    assertThat(verdict.reason()).isEqualTo(Reasons.LISTENER_NOT_READY);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared reports on ListenerSet example-com-policy:"
        + " Accepted False NotAllowed: ListenerSet is not allowed by the parent Gateway's allowedListeners");
  }

  @Test
  void aMissingCertificateSecretNamesTheListenerAndTheSecret() {
    ConditionList.Decided verdict = verdict(routes(GatewayStatuses.routeAccepted()),
        listenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.certificateNotFound()));

    assertThat(verdict.reason()).isEqualTo(Reasons.LISTENER_NOT_READY);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared reports on ListenerSet example-com-policy"
        + " listener mta-sts.example.com: ResolvedRefs False InvalidCertificateRef: Secret"
        + " mail/example-com-policy-tls does not exist");
  }

  @Test
  void aHostnameConflictIsReportedFromConflicted() {
    ConditionList.Decided verdict = verdict(routes(GatewayStatuses.routeAccepted()),
        listenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.hostnameConflict()));

    assertThat(verdict.reason()).isEqualTo(Reasons.LISTENER_NOT_READY);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared reports on ListenerSet example-com-policy"
        + " listener mta-sts.example.com: Conflicted True HostnameConflict: hostname mta-sts.example.com is already"
        + " used by listener https of Gateway infra/shared");
  }

  @Test
  void aRouteWhoseBackendIsNotFoundIsRefused() {
    ConditionList.Decided verdict = verdict(routes(condition("Accepted", "True", "Accepted", "", 1),
            condition("ResolvedRefs", "False", "BackendNotFound", "service mail/example-com-policy-server not found", 1)),
        listenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed()));

    assertThat(verdict.reason()).isEqualTo(Reasons.ROUTE_NOT_ACCEPTED);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared reports on HTTPRoute example-com-example.com"
        + " (mta-sts.example.com): ResolvedRefs False BackendNotFound: service mail/example-com-policy-server not"
        + " found");
  }

  @Test
  void conditionsOfAnOlderGenerationAreNotReportsOnThisOne() {
    List<HTTPRoute> routes = routes(GatewayStatuses.routeAccepted());
    routes.forEach(r -> r.getMetadata().setGeneration(2L));

    ConditionList.Decided verdict = verdict(routes,
        listenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed()));

    assertThat(verdict.reason()).isEqualTo(Reasons.WAITING_FOR_GATEWAY);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared has not reported Accepted on HTTPRoute"
        + " example-com-example.com (mta-sts.example.com) yet");
  }

  @Test
  void theGatewaysOwnListenersNeedOnlyTheRoutes() {
    MtaStsPolicy policy = TestPolicies.with(TestPolicies.enforce("example.com"),
        s -> s.setGateway(TestPolicies.gateway("infra", "shared", "https", false)));
    PublishedPolicy published = TestPolicies.published(policy, "2026112307000000");
    PolicyExposure.ThroughGateway gateway = PolicyExposure.of(policy, SETTINGS).gateway().orElseThrow();

    ConditionList.Decided verdict = GatewayAttachment.of(gateway, published.domains(),
        GatewayStatuses.routes(policy, SETTINGS, published, GatewayStatuses.routeAccepted()), Optional.empty());

    assertThat(verdict.status()).isEqualTo(ConditionStatus.TRUE);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared accepted the route of mta-sts.example.com");
  }

  @Test
  void aHostWhoseRouteIsMissingIsWaitingNamingIt() {
    List<HTTPRoute> onlyTheFirst = routes(GatewayStatuses.routeAccepted()).subList(0, 1);

    ConditionList.Decided verdict = verdict(onlyTheFirst,
        listenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed()));

    assertThat(verdict.reason()).isEqualTo(Reasons.WAITING_FOR_GATEWAY);
    assertThat(verdict.message()).startsWith("the HTTPRoute of mta-sts.example.org is not created yet");
  }

  @Test
  void aListenerNotReportedYetIsWaitingNamingIt() {
    Optional<ListenerSet> set = listenerSet(GatewayStatuses.listenerSetAccepted(),
        GatewayStatuses.listenerProgrammed());
    set.get().getStatus().setListeners(set.get().getStatus().getListeners().subList(0, 1));

    ConditionList.Decided verdict = verdict(routes(GatewayStatuses.routeAccepted()), set);

    assertThat(verdict.reason()).isEqualTo(Reasons.WAITING_FOR_GATEWAY);
    assertThat(verdict.message()).isEqualTo("the Gateway infra/shared has not reported on listener"
        + " mta-sts.example.org of ListenerSet example-com-policy");
  }

  @Test
  void onlyTheStatusEntryOfOurParentCounts() {
    List<HTTPRoute> routes = routes(GatewayStatuses.routeAccepted());
    // Another controller's entry, for another parent, listed first: it says nothing of ours.
    routes.forEach(r -> r.getStatus().getParents().add(0, new io.fabric8.kubernetes.api.model.gatewayapi.v1
        .RouteParentStatusBuilder().withControllerName("other.example/controller")
        .withNewParentRef().withKind("Gateway").withName("elsewhere").endParentRef()
        .withConditions(condition("Accepted", "False", "NotAllowedByListeners", "", 1)).build()));

    assertThat(verdict(routes, listenerSet(GatewayStatuses.listenerSetAccepted(),
        GatewayStatuses.listenerProgrammed())).reason()).isEqualTo(Reasons.ROUTES_ACCEPTED);
  }

  @Test
  void aRouteWithoutItsParentIsNotReportedOn() {
    List<HTTPRoute> routes = routes(GatewayStatuses.routeAccepted());
    routes.forEach(r -> r.getSpec().setParentRefs(List.of()));

    ConditionList.Decided verdict = verdict(routes,
        listenerSet(GatewayStatuses.listenerSetAccepted(), GatewayStatuses.listenerProgrammed()));

    assertThat(verdict.reason()).isEqualTo(Reasons.WAITING_FOR_GATEWAY);
    assertThat(verdict.message()).contains("has not reported on HTTPRoute example-com-example.com");
  }
}
