package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ServerMode;
import java.util.Optional;
import java.util.Set;

/**
 * Which policy server a policy asks for, and which one its policy hosts are routed to. A switch between the two
 * keeps serving: the hosts move only once the wanted server serves the current policy, and the server they leave
 * stays until the routes no longer point at it.
 *
 * @param wanted the mode the spec (or the operator's default) asks for
 * @param routedTo where the policy hosts are to be routed now
 * @param keepsDedicated whether the policy's own Deployment and Service are kept
 * @param inShared whether the namespace's shared server serves the policy
 */
public record PolicyServing(ServerMode wanted, ServerMode routedTo, boolean keepsDedicated, boolean inShared) {

  /** The mode the policy asks for: its spec.server.mode, else the operator's default. */
  public static ServerMode wanted(MtaStsPolicy policy, OperatorSettings settings) {
    return Optional.ofNullable(policy.getSpec()).map(s -> s.getServer()).map(s -> s.getMode())
        .orElse(settings.serverMode());
  }

  /**
   * @param routed where the policy's routes point now, as the cluster holds them; empty before the first routes
   * @param wantedServes whether every ready endpoint of the wanted server serves the current policy
   * @param running the servers that hold the policy now (its own Deployment exists; the shared one's template has
   *     its hosts), whatever the routes say: a server that serves is never given up for one that does not yet
   */
  public static PolicyServing decide(ServerMode wanted, Optional<ServerMode> routed, boolean wantedServes,
      Set<ServerMode> running) {
    ServerMode other = wanted == ServerMode.SHARED ? ServerMode.DEDICATED : ServerMode.SHARED;
    ServerMode routedTo = wantedServes ? wanted : routed.orElse(running.contains(other) ? other : wanted);
    boolean keepsOther = routedTo == other || routed.filter(r -> r == other).isPresent()
        || (!wantedServes && running.contains(other));
    return new PolicyServing(wanted, routedTo,
        wanted == ServerMode.DEDICATED || (other == ServerMode.DEDICATED && keepsOther),
        wanted == ServerMode.SHARED || (other == ServerMode.SHARED && keepsOther));
  }

  /**
   * Whether a policy is one the namespace's shared server serves, seen from outside its reconciliation: it asks
   * for the shared server, or its hosts are still routed there.
   */
  public static boolean servedByShared(ServerMode wanted, Optional<ServerMode> routed) {
    return wanted == ServerMode.SHARED || routed.filter(r -> r == ServerMode.SHARED).isPresent();
  }
}
