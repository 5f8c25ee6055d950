package dev.mtasts.operator.status;

import dev.mtasts.check.PublishedRecordsLookup.DomainAnswer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What DNS answered for each domain of a policy, polled off the reconcile threads ({@code operator/DnsAnswerPolling}).
 * Holds no time, so that the poll signals a change only when an answer changed.
 */
public record DnsAnswers(Map<String, DomainAnswer> byDomain) {

  public DnsAnswers {
    byDomain = Map.copyOf(byDomain);
  }

  /**
   * The DNS check and its last answer.
   *
   * @param enabled whether the operator looks at DNS at all (--dns-check-interval other than PT0S)
   * @param answers the last answer, empty before the first lookup
   * @param publishTimeout how long after the records were handed over DNS may still differ before it is a fault
   * @param whatToCheck what a person checks then, for the publisher in use (external-dns's flags, or the primary)
   */
  public record Observation(boolean enabled, Optional<DnsAnswers> answers, Duration publishTimeout,
      String whatToCheck) {
    public static final Observation OFF = new Observation(false, Optional.empty(), Duration.ZERO, "");

    /** What to check when external-dns publishes the records. */
    public static final String EXTERNAL_DNS = "check that external-dns runs with --managed-record-types=TXT, that"
        + " its --domain-filter covers the zone, and that its provider writes TXT values whole (README,"
        + " \"DNS providers\")";

    /** What to check when the operator writes the records to the primary by RFC 2136 update. */
    public static String primary(String primary) {
      return "the primary " + primary + " took the update: check that every name server of the zone gets the"
          + " zone from it (NOTIFY and zone transfers) and that --rfc2136-primary is the zone's primary";
    }
  }
}
