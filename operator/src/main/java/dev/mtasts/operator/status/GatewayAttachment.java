package dev.mtasts.operator.status;

import dev.mtasts.api.gatewayapi.ListenerSet;
import dev.mtasts.api.v1alpha1.ConditionStatus;
import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.Reasons;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.operator.status.ConditionList.Decided;
import dev.mtasts.publication.PolicyExposure;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the Gateway serves the policy hosts, read from what its controller wrote on our objects (Gateway API's
 * documented conditions): each HTTPRoute's {@code status.parents[]} entry for its parent (Accepted, ResolvedRefs)
 * and, with our ListenerSet, its own conditions (Accepted, Programmed) and each listener's (Accepted, Programmed,
 * ResolvedRefs, and Conflicted, which must not be True). A condition written for an older generation of the
 * object counts as not reported yet. The first problem found is the verdict, with the Gateway's own message.
 */
public final class GatewayAttachment {

  private static final List<String> LISTENER_SET_MUST_HOLD = List.of("Accepted", "Programmed");
  private static final List<String> LISTENER_MUST_HOLD = List.of("ResolvedRefs", "Accepted", "Programmed");
  private static final List<String> ROUTE_MUST_HOLD = List.of("Accepted", "ResolvedRefs");

  private GatewayAttachment() {}

  /**
   * @param gateway where the policy hosts are exposed
   * @param domains the published domains, one route (and listener) each
   * @param routes the policy's HTTPRoutes as the informer holds them
   * @param listenerSet the policy's ListenerSet, if any
   */
  public static Decided of(PolicyExposure.ThroughGateway gateway, List<String> domains, Collection<HTTPRoute> routes,
      Optional<ListenerSet> listenerSet) {
    String type = ConditionTypes.GATEWAY_ACCEPTED;
    String where = "Gateway " + gateway.namespace() + "/" + gateway.name();
    if (gateway.ownListeners()) {
      Optional<Decided> problem = listenerSetProblem(type, where, domains, listenerSet);
      if (problem.isPresent()) {
        return problem.get();
      }
    }
    for (String domain : domains) {
      String host = ObjectNames.policyHost(domain);
      Optional<HTTPRoute> route = routes.stream()
          .filter(r -> r.getSpec() != null && r.getSpec().getHostnames() != null
              && r.getSpec().getHostnames().contains(host))
          .findFirst();
      if (route.isEmpty()) {
        return waiting(type, "the HTTPRoute of " + host + " is not created yet (does the cluster serve"
            + " gateway.networking.k8s.io/v1 HTTPRoutes? the Gateway API CRDs must be installed before the operator"
            + " starts)");
      }
      Optional<Decided> problem = routeProblem(type, where, host, route.get());
      if (problem.isPresent()) {
        return problem.get();
      }
    }
    return ConditionList.Decided.isTrue(type, Reasons.ROUTES_ACCEPTED, "the " + where + " accepted the route"
        + (domains.size() == 1 ? "" : "s") + " of " + String.join(", ", domains.stream().map(ObjectNames::policyHost)
            .toList()) + (gateway.ownListeners() ? " on the listeners of ListenerSet "
                + listenerSet.map(l -> l.getMetadata().getName()).orElse("") : ""));
  }

  private static Optional<Decided> listenerSetProblem(String type, String where, List<String> domains,
      Optional<ListenerSet> listenerSet) {
    if (listenerSet.isEmpty()) {
      return Optional.of(waiting(type, "the ListenerSet is not created yet"));
    }
    ListenerSet set = listenerSet.get();
    String name = "ListenerSet " + set.getMetadata().getName();
    List<Condition> conditions = set.getStatus() == null ? List.of()
        : Optional.ofNullable(set.getStatus().getConditions()).orElse(List.of());
    Optional<Decided> own = firstUnmet(type, Reasons.LISTENER_NOT_READY, where, name, conditions,
        LISTENER_SET_MUST_HOLD, set, "does the Gateway's controller implement ListenerSet?");
    if (own.isPresent()) {
      return own;
    }
    List<ListenerStatus> listeners = Optional.ofNullable(set.getStatus().getListeners()).orElse(List.of());
    for (String domain : domains) {
      String listener = ObjectNames.listener(domain);
      Optional<ListenerStatus> status = listeners.stream().filter(l -> listener.equals(l.getName())).findFirst();
      if (status.isEmpty()) {
        return Optional.of(waiting(type, "the " + where + " has not reported on listener " + listener + " of " + name));
      }
      List<Condition> listenerConditions = Optional.ofNullable(status.get().getConditions()).orElse(List.of());
      Optional<Condition> conflicted = listenerConditions.stream()
          .filter(c -> "Conflicted".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
      if (conflicted.isPresent()) {
        return Optional.of(refused(type, Reasons.LISTENER_NOT_READY, where, name + " listener " + listener,
            conflicted.get()));
      }
      Optional<Decided> problem = firstUnmet(type, Reasons.LISTENER_NOT_READY, where, name + " listener " + listener,
          listenerConditions, LISTENER_MUST_HOLD, set, "");
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<Decided> routeProblem(String type, String where, String host, HTTPRoute route) {
    String name = "HTTPRoute " + route.getMetadata().getName();
    ParentReference parent = route.getSpec().getParentRefs() == null || route.getSpec().getParentRefs().isEmpty()
        ? null : route.getSpec().getParentRefs().get(0);
    List<RouteParentStatus> parents = route.getStatus() == null || route.getStatus().getParents() == null
        ? List.of() : route.getStatus().getParents();
    Optional<RouteParentStatus> ours = parents.stream().filter(p -> sameParent(p.getParentRef(), parent)).findFirst();
    if (ours.isEmpty()) {
      return Optional.of(waiting(type, "the " + where + " has not reported on " + name + " (" + host + ") yet"));
    }
    return firstUnmet(type, Reasons.ROUTE_NOT_ACCEPTED, where, name + " (" + host + ")",
        Optional.ofNullable(ours.get().getConditions()).orElse(List.of()), ROUTE_MUST_HOLD, route, "");
  }

  /** The parent a status entry is about: same kind, name and section (group and namespace default). */
  private static boolean sameParent(ParentReference reported, ParentReference ours) {
    if (reported == null || ours == null) {
      return false;
    }
    return Objects.equals(Optional.ofNullable(reported.getKind()).orElse("Gateway"),
            Optional.ofNullable(ours.getKind()).orElse("Gateway"))
        && Objects.equals(reported.getName(), ours.getName())
        && Objects.equals(reported.getSectionName(), ours.getSectionName());
  }

  private static Optional<Decided> firstUnmet(String type, String reason, String where, String what,
      List<Condition> conditions, List<String> mustHold, HasMetadata object, String hint) {
    long generation = Optional.ofNullable(object.getMetadata().getGeneration()).orElse(0L);
    for (String wanted : mustHold) {
      Optional<Condition> found = conditions.stream().filter(c -> wanted.equals(c.getType())).findFirst();
      if (found.isEmpty() || stale(found.get(), generation)) {
        return Optional.of(waiting(type, "the " + where + " has not reported " + wanted + " on " + what + " yet"
            + (hint.isEmpty() ? "" : " (" + hint + ")")));
      }
      Condition c = found.get();
      if ("True".equals(c.getStatus())) {
        continue;
      }
      if ("Unknown".equals(c.getStatus())) {
        return Optional.of(waiting(type, what + ": " + describe(c) + (hint.isEmpty() ? "" : " (" + hint + ")")));
      }
      return Optional.of(refused(type, reason, where, what, c));
    }
    return Optional.empty();
  }

  private static boolean stale(Condition condition, long generation) {
    return condition.getObservedGeneration() != null && condition.getObservedGeneration() < generation;
  }

  private static Decided refused(String type, String reason, String where, String what, Condition c) {
    return ConditionList.Decided.isFalse(type, reason, "the " + where + " reports on " + what + ": " + describe(c));
  }

  private static Decided waiting(String type, String message) {
    return new Decided(type, ConditionStatus.FALSE, Reasons.WAITING_FOR_GATEWAY, message);
  }

  private static String describe(Condition c) {
    List<String> parts = new ArrayList<>();
    parts.add(c.getType() + " " + c.getStatus());
    if (c.getReason() != null && !c.getReason().isEmpty()) {
      parts.add(c.getReason());
    }
    String text = String.join(" ", parts);
    return c.getMessage() == null || c.getMessage().isEmpty() ? text : text + ": " + c.getMessage();
  }
}
