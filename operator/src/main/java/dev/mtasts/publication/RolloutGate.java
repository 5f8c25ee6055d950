package dev.mtasts.publication;

import dev.mtasts.api.v1alpha1.RolloutSettings;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Whether a policy declared {@code mode: enforce} with {@code spec.rollout} may be served in enforce mode yet:
 * the reports since the last one that failed too often span {@code cleanDays} and come from
 * {@code minOrganizations} senders, the latest is recent, and every live MX passes the operator's own probe.
 */
public final class RolloutGate {

  /** Reports stop counting when the latest is older than this: a silent rua is no evidence. */
  static final Duration STALE_AFTER = Duration.ofDays(3);

  /** The gate's answer and what it still waits for, in words for the status. */
  public record Verdict(boolean met, String message) {}

  private RolloutGate() {}

  public static Verdict evaluate(RolloutSettings rollout, RolloutEvidence evidence, Instant now) {
    int cleanDays = rollout.cleanDaysOrDefault();
    int minOrganizations = rollout.minOrganizationsOrDefault();
    BigDecimal maxRatio = new BigDecimal(rollout.maxFailureRatioOrDefault());
    List<Report> reports = evidence.reports().stream()
        .map(Report::of)
        .flatMap(Optional::stream)
        .filter(r -> !r.start().isAfter(now))
        .sorted(Comparator.comparing(Report::end))
        .toList();

    Optional<Instant> lastFailure = reports.stream().filter(r -> r.failsAbove(maxRatio)).map(Report::end)
        .reduce((a, b) -> b);
    // A failing report ends at or before the last failure, so none starts after it.
    List<Report> streak = reports.stream()
        .filter(r -> lastFailure.map(f -> !r.start().isBefore(f)).orElse(true))
        .toList();

    long days = 0;
    long organizations = 0;
    Optional<String> stale = Optional.empty();
    if (!streak.isEmpty()) {
      Instant first = streak.stream().map(Report::start).min(Comparator.naturalOrder()).orElseThrow();
      Instant latest = streak.get(streak.size() - 1).end();
      Instant until = latest.isAfter(now) ? now : latest;
      days = Math.min(cleanDays, Duration.between(first, until).toDays());
      organizations = streak.stream().map(Report::organization).distinct().count();
      if (Duration.between(latest, now).compareTo(STALE_AFTER) > 0) {
        stale = Optional.of("no report since " + latest);
      }
    }

    StringBuilder message = new StringBuilder()
        .append(days).append(" of ").append(cleanDays).append(" clean days");
    if (reports.isEmpty()) {
      message.append(" (no TLS-RPT report yet)");
    } else if (lastFailure.isPresent() && streak.isEmpty()) {
      message.append(" (the latest report, ending ").append(lastFailure.get()).append(", failed above ")
          .append(maxRatio.toPlainString()).append(")");
    }
    message.append("; ").append(Math.min(organizations, minOrganizations)).append(" of ").append(minOrganizations)
        .append(organizations == 1 && minOrganizations == 1 ? " organization" : " organizations");
    stale.ifPresent(s -> message.append("; ").append(s));
    message.append("; MX TLS: ").append(evidence.mxTls().message());

    boolean met = days >= cleanDays && organizations >= minOrganizations && stale.isEmpty()
        && evidence.mxTls().passed();
    return new Verdict(met, message.toString());
  }

  private record Report(String organization, Instant start, Instant end, long successful, long failed) {

    /** A report whose period cannot be read (edited by hand into nonsense) counts for nothing. */
    static Optional<Report> of(TlsRptReportSpec spec) {
      if (spec.periodStart().isEmpty() || spec.periodEnd().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Report(spec.getOrganization(), spec.periodStart().get(), spec.periodEnd().get(),
          nonNull(spec.getSuccessfulSessions()), nonNull(spec.getFailedSessions())));
    }

    boolean failsAbove(BigDecimal maxRatio) {
      long total = successful + failed;
      // failed / total > maxRatio, without dividing
      return BigDecimal.valueOf(failed).compareTo(maxRatio.multiply(BigDecimal.valueOf(total))) > 0;
    }

    private static long nonNull(Long value) {
      return value == null ? 0 : value;
    }
  }
}
