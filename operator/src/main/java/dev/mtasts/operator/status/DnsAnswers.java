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
   */
  public record Observation(boolean enabled, Optional<DnsAnswers> answers, Duration publishTimeout) {
    public static final Observation OFF = new Observation(false, Optional.empty(), Duration.ZERO);
  }
}
