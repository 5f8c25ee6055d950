package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.MxTlsCheck;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.MxTlsProbe;
import dev.mtasts.publication.MxTlsProbes;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the live MX hosts of each policy with a rollout gate by STARTTLS, off the reconciliation threads, and
 * reconciles the policy when a result changes. The hosts are those MX polling found ({@link MxRecords}), so the
 * gate and MxCovered see the same hosts and no MX lookup is made twice. Each policy is looked at every few seconds,
 * which costs nothing but cache reads: a host is probed only when it is new, when its pass is older than the
 * interval, or when its failure is a minute old (so a fix is seen soon). A host shared by several policies is
 * probed once for all; at most {@code concurrency} probes run at a time.
 */
final class MxTlsProbing {

  static final String NAME = "mx-tls-probes";
  /** How often each gated policy's MX hosts are compared with those probed: a new MX host is probed within this. */
  static final Duration RECHECK = Duration.ofSeconds(5);
  /** How soon a failed host is probed again: the gate should open soon after the host is fixed. */
  static final Duration RETRY_FAILED = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(MxTlsProbing.class);

  private final Function<String, MxTlsCheck.Result> check;
  private final Duration interval;
  private final Clock clock;
  private final Map<String, MxTlsProbe> latest = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<MxTlsProbe>> inFlight = new ConcurrentHashMap<>();

  MxTlsProbing(Function<String, MxTlsCheck.Result> check, Duration interval, Clock clock) {
    this.check = check;
    this.interval = interval;
    this.clock = clock;
  }

  /**
   * The event source, one {@link MxTlsProbes} per gated policy.
   *
   * @param gated whether a policy declares a rollout gate; others are never probed
   * @param mxRecords a policy's live MX hosts as last polled (MxPolling's value), empty until the first answer
   */
  static PerResourcePollingEventSource<MxTlsProbes, MtaStsPolicy, String> eventSource(
      EventSourceContext<MtaStsPolicy> context, MtaStsOperator.MxTlsSettings settings,
      Predicate<MtaStsPolicy> gated, Function<MtaStsPolicy, Optional<MxRecords>> mxRecords, Clock clock) {
    MxTlsProbing probing = new MxTlsProbing(new MxTlsCheck(settings.settings())::probe, settings.interval(), clock);
    var config = new PerResourcePollingConfigurationBuilder<MxTlsProbes, MtaStsPolicy, String>(
        policy -> probing.poll(gated, mxRecords, policy), recheck(settings.interval()))
        .withName(NAME)
        // The pool bounds the probes running at once; a policy's hosts are probed one after the other.
        .withExecutorService(Executors.newScheduledThreadPool(settings.concurrency(), r -> {
          Thread thread = new Thread(r, NAME);
          thread.setDaemon(true);
          return thread;
        }))
        .withRegisterPredicate(gated)
        .withResourceIDMapper(probes -> NAME) // one MxTlsProbes per policy
        .build();
    return new PerResourcePollingEventSource<>(MxTlsProbes.class, context, config);
  }

  static Duration recheck(Duration interval) {
    return interval.compareTo(RECHECK) < 0 ? interval : RECHECK;
  }

  /** How old a pass may be and still count: two intervals, so one slow or missed round does not close the gate. */
  Duration maxAge() {
    return interval.multipliedBy(2);
  }

  /** None for a policy without a gate (any earlier value goes) or whose MX hosts are not known yet. */
  Set<MxTlsProbes> poll(Predicate<MtaStsPolicy> gated, Function<MtaStsPolicy, Optional<MxRecords>> mxRecords,
      MtaStsPolicy policy) {
    if (!gated.test(policy)) {
      return Set.of();
    }
    Optional<MxRecords> records = mxRecords.apply(policy);
    if (records.isEmpty()) {
      return Set.of();
    }
    Instant now = clock.instant();
    latest.values().removeIf(p -> p.probedAt().plus(maxAge()).isBefore(now)); // hosts no policy has any more
    List<MxTlsProbe> probes = records.get().hosts().stream().map(host -> current(host, now)).toList();
    return Set.of(MxTlsProbes.of(probes, maxAge()));
  }

  /** The host's latest probe, or a new one when it is due; a probe already running for another policy is shared. */
  MxTlsProbe current(String host, Instant now) {
    MxTlsProbe last = latest.get(host);
    if (last != null && !due(last, now)) {
      return last;
    }
    CompletableFuture<MxTlsProbe> mine = new CompletableFuture<>();
    CompletableFuture<MxTlsProbe> running = inFlight.putIfAbsent(host, mine);
    if (running != null) {
      return running.join();
    }
    MxTlsProbe probe = probe(host);
    latest.put(host, probe);
    inFlight.remove(host, mine);
    mine.complete(probe);
    return probe;
  }

  private boolean due(MxTlsProbe last, Instant now) {
    Duration wait = last.passed() || RETRY_FAILED.compareTo(interval) > 0 ? interval : RETRY_FAILED;
    return !last.probedAt().plus(wait).isAfter(now);
  }

  private MxTlsProbe probe(String host) {
    MxTlsCheck.Result result;
    try {
      result = check.apply(host);
    } catch (RuntimeException e) {
      result = new MxTlsCheck.Result(host, MxTlsCheck.Verdict.UNREACHABLE, host + ": the probe failed: " + e);
    }
    MxTlsProbe probe = new MxTlsProbe(host, verdict(result.verdict()), result.detail(), clock.instant());
    MxTlsProbe last = latest.get(probe.host());
    if (last == null || last.verdict() != probe.verdict()) {
      log.info("mx={} step=mx-tls-probe {}: {}", probe.host(), probe.verdict(), probe.detail());
    }
    return probe;
  }

  static MxTlsProbe.Verdict verdict(MxTlsCheck.Verdict verdict) {
    return switch (verdict) {
      case VALID -> MxTlsProbe.Verdict.PASSED;
      case NO_STARTTLS -> MxTlsProbe.Verdict.NO_STARTTLS;
      case WRONG_NAME -> MxTlsProbe.Verdict.WRONG_NAME;
      case EXPIRED -> MxTlsProbe.Verdict.EXPIRED;
      case UNTRUSTED -> MxTlsProbe.Verdict.UNTRUSTED;
      case UNREACHABLE -> MxTlsProbe.Verdict.UNREACHABLE;
    };
  }
}
