package dev.mtasts.operator.status;

import dev.mtasts.api.v1alpha1.ConditionStatus;
import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.api.v1alpha1.Reasons;
import dev.mtasts.api.v1alpha1.ReportResult;
import dev.mtasts.api.v1alpha1.ReportsSummary;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.PublishedPolicy;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Kubernetes Event the operator records on a MtaStsPolicy. Which ones a reconciliation records follows from the
 * difference between the status before and after it, so a restart or a resync, which changes nothing, records
 * nothing, and a problem is reported once when it appears rather than on every visit.
 */
public record PolicyEvent(Reason reason, String message) {

  /** Every event the operator emits. */
  public enum Reason {
    /** Normal: a new policy id was issued (old id, new id, why). */
    PolicyIdChanged(false),
    /** Warning: an older MtaStsPolicy claims a domain of this one. */
    DomainConflict(true),
    /** Warning: an MX host of a domain is not covered by the policy's patterns. */
    MxNotCovered(true),
    /** Warning: DNS still does not answer the published records after --dns-publish-timeout. */
    DnsNotAnswering(true),
    /** Normal: the rollout gate is met; enforce mode is served (with a new id, published in the safe order). */
    RolloutPromoted(false),
    /** Warning: the reports name a kind of failure (a result type at an MX) the last status had not seen. */
    NewTlsFailure(true),
    /** Warning: the reports name failed sessions while enforce mode is served: senders refuse that mail. */
    FailuresUnderEnforce(true);

    private final boolean warning;

    Reason(boolean warning) {
      this.warning = warning;
    }

    /** The Event's type: Normal or Warning. */
    public String type() {
      return warning ? "Warning" : "Normal";
    }
  }

  /** The events implied by going from {@code previous} to {@code current} with what was published. */
  public static List<PolicyEvent> implied(Optional<MtaStsPolicyStatus> previous, MtaStsPolicyStatus current,
      Optional<PublishedPolicy> published) {
    List<PolicyEvent> events = new ArrayList<>();
    published.filter(p -> !Objects.equals(previous.map(MtaStsPolicyStatus::getPolicyId).orElse(null),
            current.getPolicyId()))
        .ifPresent(p -> events.add(new PolicyEvent(Reason.PolicyIdChanged, p.id().describe()
            + " (policy hash " + p.content().hash().substring(0, 12) + ")")));
    String reportedConflicts = condition(previous, ConditionTypes.READY)
        .filter(c -> Reasons.DOMAIN_CONFLICT.equals(c.getReason()))
        .map(Condition::getMessage).orElse("");
    for (DomainConflict conflict : published.map(PublishedPolicy::conflicts).orElse(List.of())) {
      if (!reportedConflicts.contains(conflict.describe())) {
        events.add(new PolicyEvent(Reason.DomainConflict, conflict.describe() + "; nothing is published for it here"));
      }
    }
    condition(Optional.of(current), ConditionTypes.MX_COVERED)
        .filter(c -> ConditionStatus.of(c.getStatus()) == ConditionStatus.FALSE)
        .filter(c -> condition(previous, ConditionTypes.MX_COVERED)
            .filter(p -> Objects.equals(p.getStatus(), c.getStatus()) && Objects.equals(p.getMessage(), c.getMessage()))
            .isEmpty())
        .ifPresent(c -> events.add(new PolicyEvent(Reason.MxNotCovered, c.getMessage())));
    condition(Optional.of(current), ConditionTypes.DNS_PUBLISHED)
        .filter(c -> Reasons.DNS_NOT_ANSWERING.equals(c.getReason()))
        .filter(c -> condition(previous, ConditionTypes.DNS_PUBLISHED)
            .filter(p -> Reasons.DNS_NOT_ANSWERING.equals(p.getReason())).isEmpty())
        .ifPresent(c -> events.add(new PolicyEvent(Reason.DnsNotAnswering, c.getMessage())));
    condition(Optional.of(current), ConditionTypes.ROLLOUT_GATE)
        .filter(c -> ConditionStatus.of(c.getStatus()) == ConditionStatus.TRUE)
        .filter(c -> condition(previous, ConditionTypes.ROLLOUT_GATE)
            .filter(p -> ConditionStatus.of(p.getStatus()) == ConditionStatus.TRUE).isEmpty())
        .ifPresent(c -> events.add(new PolicyEvent(Reason.RolloutPromoted, c.getMessage())));
    events.addAll(newFailures(previous, current));
    condition(Optional.of(current), ConditionTypes.REPORTS_CLEAN)
        .filter(c -> ConditionStatus.of(c.getStatus()) == ConditionStatus.FALSE)
        .filter(c -> "enforce".equals(current.getEffectiveMode()))
        .filter(c -> condition(previous, ConditionTypes.REPORTS_CLEAN)
            .filter(p -> ConditionStatus.of(p.getStatus()) == ConditionStatus.FALSE)
            .filter(p -> "enforce".equals(previous.get().getEffectiveMode())).isEmpty())
        .ifPresent(c -> events.add(new PolicyEvent(Reason.FailuresUnderEnforce, c.getMessage()
            + "; in enforce mode senders refuse to deliver where validation fails")));
    return events;
  }

  /** One event per result type and MX that the previous summary did not name, so each new kind is told once. */
  private static List<PolicyEvent> newFailures(Optional<MtaStsPolicyStatus> previous, MtaStsPolicyStatus current) {
    Set<List<String>> known = failures(previous.map(MtaStsPolicyStatus::getReports)).stream()
        .map(f -> List.of(f.getResultType(), String.valueOf(f.getMx()))).collect(Collectors.toSet());
    return failures(Optional.ofNullable(current.getReports())).stream()
        .filter(f -> !known.contains(List.of(f.getResultType(), String.valueOf(f.getMx()))))
        .map(f -> new PolicyEvent(Reason.NewTlsFailure, "senders report a new kind of TLS failure: "
            + ReportsWindow.describe(f) + " failed sessions " + ReportsWindow.IN_THE_WINDOW))
        .toList();
  }

  private static List<ReportResult> failures(Optional<ReportsSummary> summary) {
    return summary.map(ReportsSummary::getFailures).orElse(List.of());
  }

  private static Optional<Condition> condition(Optional<MtaStsPolicyStatus> status, String type) {
    return status.flatMap(s -> ConditionList.find(s.getConditions(), type));
  }
}
