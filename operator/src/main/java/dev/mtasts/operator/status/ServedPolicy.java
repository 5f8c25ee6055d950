package dev.mtasts.operator.status;

/**
 * What a fetch of the policy through the policy server's Service found, as a sender would fetch it through the
 * Ingress: an observation the reconciler makes before it decides whether the TXT records may follow.
 */
public record ServedPolicy(Outcome outcome, String message) {

  /** What the fetch found. */
  public enum Outcome {
    /** The current policy, byte for byte. */
    SERVED,
    /** An answer, but not the current policy: the TXT records must wait. */
    WRONG_POLICY,
    /** No answer (outside the cluster, or a NetworkPolicy): the rollout alone decides. */
    UNREACHABLE
  }

  /** Whether the TXT records may go out as far as this fetch can tell. */
  public boolean allowsPublication() {
    return outcome != Outcome.WRONG_POLICY;
  }

  /**
   * The fetch through the Service and those at the policy URLs, as one gate: any wrong answer holds the records
   * back; served where any fetch got through; unreachable only where none did.
   */
  public static ServedPolicy all(ServedPolicy inCluster, java.util.Collection<ServedPolicy> atUrls) {
    java.util.List<ServedPolicy> all = new java.util.ArrayList<>(java.util.List.of(inCluster));
    all.addAll(atUrls);
    Outcome outcome = all.stream().anyMatch(s -> s.outcome == Outcome.WRONG_POLICY) ? Outcome.WRONG_POLICY
        : all.stream().anyMatch(s -> s.outcome == Outcome.SERVED) ? Outcome.SERVED : Outcome.UNREACHABLE;
    return new ServedPolicy(outcome, all.stream().map(ServedPolicy::message)
        .collect(java.util.stream.Collectors.joining("; ")));
  }
}
