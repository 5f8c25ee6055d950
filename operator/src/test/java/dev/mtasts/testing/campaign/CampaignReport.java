package dev.mtasts.testing.campaign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The figures of a campaign: histories, faults by kind, violations, the worst convergence. */
public final class CampaignReport {

  private final List<CampaignRound.Result> results = new ArrayList<>();

  public void add(CampaignRound.Result result) {
    results.add(result);
  }

  public int histories() {
    return results.stream().mapToInt(CampaignRound.Result::histories).sum();
  }

  /** What broke an invariant. */
  public List<InvariantChecker.Violation> violations() {
    return results.stream().flatMap(r -> r.violations().stream()).filter(v -> v.invariant().breaks()).toList();
  }

  /** The ids that changed back to the same policy after an abandoned edit: counted, not a break. */
  public List<InvariantChecker.Violation> extraIdChanges() {
    return results.stream().flatMap(r -> r.violations().stream()).filter(v -> !v.invariant().breaks()).toList();
  }

  public Map<Fault, Integer> faults() {
    Map<Fault, Integer> total = new EnumMap<>(Fault.class);
    results.forEach(r -> r.faults().forEach((fault, n) -> total.merge(fault, n, Integer::sum)));
    return total;
  }

  public Map<String, Long> events() {
    Map<String, Long> total = new java.util.TreeMap<>();
    results.forEach(r -> r.events().forEach((reason, n) -> total.merge(reason, n, Long::sum)));
    return total;
  }

  public Duration worstConvergence() {
    return results.stream().map(CampaignRound.Result::convergence).max(Duration::compareTo).orElse(Duration.ZERO);
  }

  public static String line(CampaignRound.Result result) {
    return ("round %d seed %d: %d histories, %d actions, %d sender samples (every %d ms, p99 %d ms), faults %s,"
        + " converged in %.1f s, events %s, %d findings%s%s")
        .formatted(result.round(), result.seed(), result.histories(), result.actions(), result.senderSamples(),
            result.sampleGapMedian().toMillis(), result.sampleGapP99().toMillis(),
            result.faults(), result.convergence().toMillis() / 1000.0, result.events(), result.violations().size(),
            result.selfExits().isEmpty() ? "" : ", replicas that exited by themselves: " + result.selfExits(),
            result.violations().stream().map(v -> "\n  " + v).collect(Collectors.joining()));
  }

  public String summary() {
    int faults = faults().values().stream().mapToInt(Integer::intValue).sum();
    return """
        fault campaign: %d rounds, %d histories, %d faults injected
          faults by kind: %s
          invariant violations: %d%s
          extra id changes (back to the same policy after an abandoned edit, not a break): %d%s
          worst convergence after the last fault: %.1f s (limit %d s)
          sender samples: %d, each domain read every %d ms (median), %d ms at worst of rounds' p99
          operator Events: %s
        """.formatted(results.size(), histories(), faults, faults(), violations().size(),
        violations().stream().map(v -> "\n    seed " + seedOf(v) + ": " + v).collect(Collectors.joining()),
        extraIdChanges().size(),
        extraIdChanges().stream().map(v -> "\n    seed " + seedOf(v) + ": " + v).collect(Collectors.joining()),
        worstConvergence().toMillis() / 1000.0, CampaignRound.CONVERGENCE_LIMIT.toSeconds(),
        results.stream().mapToInt(CampaignRound.Result::senderSamples).sum(),
        results.stream().mapToLong(r -> r.sampleGapMedian().toMillis()).sorted().skip(results.size() / 2)
            .findFirst().orElse(0),
        results.stream().mapToLong(r -> r.sampleGapP99().toMillis()).max().orElse(0), events());
  }

  private long seedOf(InvariantChecker.Violation violation) {
    return results.stream().filter(r -> r.violations().contains(violation)).findFirst()
        .map(CampaignRound.Result::seed).orElse(0L);
  }
}
