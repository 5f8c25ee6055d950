package dev.mtasts.testing;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.gatewayapi.ListenerSetStatus;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.desired.PolicyHttpRoutes;
import dev.mtasts.desired.PolicyListenerSet;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Recorded condition sets: what a Gateway API controller writes on our HTTPRoutes and ListenerSet, with the
 * types, reasons and messages the Gateway API spec (v1.6, the godoc of RouteConditionType, ListenerConditionType
 * and ListenerSetConditionType) documents for each state. A stand-in for a controller where none that implements
 * ListenerSet runs here: the tests of the status handling and of the operator's gate write these.
 */
public final class GatewayStatuses {

  public static final String CONTROLLER = "example.net/gateway-controller";

  private GatewayStatuses() {}

  public static Condition condition(String type, String status, String reason, String message, long generation) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime("2026-11-23T07:00:00Z").build();
  }

  /** The routes as desired, each with one parent status holding these conditions (none: not reported on). */
  public static List<HTTPRoute> routes(MtaStsPolicy policy, OperatorSettings settings, PublishedPolicy published,
      Condition... conditions) {
    List<HTTPRoute> routes = PolicyHttpRoutes.desired(policy, settings, published);
    routes.forEach(r -> {
      r.getMetadata().setGeneration(1L);
      if (conditions.length > 0) {
        reported(r, conditions);
      }
    });
    return routes;
  }

  /** Writes the route's status as its controller would: one entry for its parent. */
  public static HTTPRoute reported(HTTPRoute route, Condition... conditions) {
    route.setStatus(new HTTPRouteStatusBuilder().withParents(new RouteParentStatusBuilder()
        .withParentRef(route.getSpec().getParentRefs().get(0)).withControllerName(CONTROLLER)
        .withConditions(List.of(conditions)).build()).build());
    return route;
  }

  /** Accepted and ResolvedRefs True, as for a route the Gateway serves. */
  public static Condition[] routeAccepted() {
    return new Condition[] {condition("Accepted", "True", "Accepted", "", 1),
        condition("ResolvedRefs", "True", "ResolvedRefs", "", 1)};
  }

  /** The ListenerSet as desired, with its own conditions and these on every listener. */
  public static Optional<ListenerSet> listenerSet(MtaStsPolicy policy, OperatorSettings settings,
      PublishedPolicy published, List<Condition> own, List<Condition> perListener) {
    return PolicyListenerSet.desired(policy, settings, published).map(set -> {
      set.getMetadata().setGeneration(1L);
      ListenerSetStatus status = new ListenerSetStatus();
      status.setConditions(own);
      List<io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus> listeners = new ArrayList<>();
      for (String domain : published.domains()) {
        listeners.add(new ListenerStatusBuilder().withName(ObjectNames.listener(domain)).withAttachedRoutes(1)
            .withConditions(perListener).build());
      }
      status.setListeners(listeners);
      set.setStatus(status);
      return set;
    });
  }

  /** Accepted and Programmed True: the Gateway took the ListenerSet. */
  public static List<Condition> listenerSetAccepted() {
    return List.of(condition("Accepted", "True", "Accepted", "", 1),
        condition("Programmed", "True", "Programmed", "", 1));
  }

  /** Every listener Accepted, Programmed, ResolvedRefs True and not Conflicted. */
  public static List<Condition> listenerProgrammed() {
    return List.of(condition("Accepted", "True", "Accepted", "", 1),
        condition("Programmed", "True", "Programmed", "", 1),
        condition("ResolvedRefs", "True", "ResolvedRefs", "", 1),
        condition("Conflicted", "False", "NoConflicts", "", 1));
  }

  /** The Gateway's spec.allowedListeners does not admit ListenerSets from this namespace. */
  public static List<Condition> listenerSetNotAllowed() {
    return List.of(condition("Accepted", "False", "NotAllowed",
            "ListenerSet is not allowed by the parent Gateway's allowedListeners", 1),
        condition("Programmed", "False", "NotAllowed", "", 1));
  }

  /** A listener whose certificate Secret does not exist. */
  public static List<Condition> certificateNotFound() {
    return List.of(condition("Accepted", "True", "Accepted", "", 1),
        condition("Programmed", "False", "Invalid", "", 1),
        condition("ResolvedRefs", "False", "InvalidCertificateRef",
            "Secret mail/example-com-policy-tls does not exist", 1));
  }

  /** A listener whose hostname another listener on the Gateway already serves. */
  public static List<Condition> hostnameConflict() {
    return List.of(condition("Accepted", "False", "HostnameConflict", "", 1),
        condition("Programmed", "False", "Invalid", "", 1),
        condition("ResolvedRefs", "True", "ResolvedRefs", "", 1),
        condition("Conflicted", "True", "HostnameConflict",
            "hostname mta-sts.example.com is already used by listener https of Gateway infra/shared", 1));
  }

  /**
   * Writes our ListenerSet's status as its controller would, for its current generation: its own conditions and,
   * unless {@code perListener} is empty (a controller that refuses the whole set reports no listener), every
   * listener's.
   */
  public static void reportListenerSet(io.fabric8.kubernetes.client.KubernetesClient client, ListenerSet current,
      List<Condition> own, List<Condition> perListener) {
    long generation = current.getMetadata().getGeneration();
    ListenerSetStatus status = new ListenerSetStatus();
    status.setConditions(own.stream().map(c -> at(c, generation)).toList());
    status.setListeners(perListener.isEmpty() ? null : current.getSpec().getListeners().stream().map(l ->
        new ListenerStatusBuilder().withName(l.getName()).withAttachedRoutes(1)
            .withSupportedKinds(new io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteGroupKindBuilder()
                .withGroup(ListenerSet.GROUP).withKind("HTTPRoute").build())
            .withConditions(perListener.stream().map(c -> at(c, generation)).toList()).build()).toList());
    current.setStatus(status);
    client.resource(current).updateStatus();
  }

  /** Writes the route's status for its parent as its controller would, for its current generation. */
  public static void reportRoute(io.fabric8.kubernetes.client.KubernetesClient client, HTTPRoute route,
      Condition... conditions) {
    long generation = route.getMetadata().getGeneration();
    client.resource(reported(route, java.util.Arrays.stream(conditions).map(c -> at(c, generation))
        .toArray(Condition[]::new))).updateStatus();
  }

  private static Condition at(Condition c, long generation) {
    return new ConditionBuilder(c).withObservedGeneration(generation).build();
  }
}
