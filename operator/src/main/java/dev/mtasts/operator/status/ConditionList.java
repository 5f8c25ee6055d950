package dev.mtasts.operator.status;

import dev.mtasts.api.v1alpha1.ConditionStatus;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Condition bookkeeping as cert-manager does it (pkg/api/util/conditions.go), with the clock passed in:
 * lastTransitionTime moves only when a condition's status flips, and every condition carries observedGeneration.
 */
public final class ConditionList {

  /** One condition as the operator decides it, before bookkeeping. */
  public record Decided(String type, ConditionStatus status, String reason, String message) {
    public static Decided isTrue(String type, String reason, String message) {
      return new Decided(type, ConditionStatus.TRUE, reason, message);
    }

    public static Decided isFalse(String type, String reason, String message) {
      return new Decided(type, ConditionStatus.FALSE, reason, message);
    }

    public static Decided unknown(String type, String reason, String message) {
      return new Decided(type, ConditionStatus.UNKNOWN, reason, message);
    }

    public boolean holds() {
      return status == ConditionStatus.TRUE;
    }
  }

  private ConditionList() {}

  public static List<Condition> update(List<Condition> current, List<Decided> decided, long generation, Instant now) {
    List<Condition> result = new ArrayList<>();
    for (Decided d : decided) {
      String transition = find(current, d.type())
          .filter(p -> d.status().value().equals(p.getStatus()))
          .map(Condition::getLastTransitionTime)
          .filter(Objects::nonNull)
          .orElse(DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS)));
      result.add(new ConditionBuilder()
          .withType(d.type())
          .withStatus(d.status().value())
          .withReason(d.reason())
          .withMessage(d.message())
          .withObservedGeneration(generation)
          .withLastTransitionTime(transition)
          .build());
    }
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
