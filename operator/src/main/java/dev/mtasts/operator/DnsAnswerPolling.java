package dev.mtasts.operator;

import dev.mtasts.api.v1alpha1.ConditionStatus;
import dev.mtasts.api.v1alpha1.ConditionTypes;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.PublishedRecordsLookup;
import dev.mtasts.operator.status.ConditionList;
import dev.mtasts.operator.status.DnsAnswers;
import dev.mtasts.publication.Publication;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.javaoperatorsdk.operator.processing.event.source.ExternalResourceCachingEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up each policy's records in DNS off the reconciliation threads and reconciles the policy when an answer
 * changes. Slowly once DNS answers what is published (to notice drift), quickly while a change is awaited. JOSDK's
 * PerResourcePollingEventSource cannot do the second: it schedules the next poll when the last one ends, so a new
 * id published right after a slow poll would wait the whole slow interval; here a status that stops saying
 * DnsPublished=True brings the next poll forward.
 */
final class DnsAnswerPolling extends ExternalResourceCachingEventSource<DnsAnswers, MtaStsPolicy, String>
    implements ResourceEventAware<MtaStsPolicy> {

  static final String NAME = "dns-answers";
  /** How often DNS is asked while the records it should answer are not (yet) there. */
  static final Duration WHILE_WAITING = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(DnsAnswerPolling.class);

  private final Function<String, PublishedRecordsLookup.DomainAnswer> lookup;
  private final Duration settledInterval;
  private final Cache<MtaStsPolicy> primaries;
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, r -> {
    Thread thread = new Thread(r, NAME);
    thread.setDaemon(true);
    return thread;
  });
  private final Map<ResourceID, Scheduled> scheduled = new ConcurrentHashMap<>();

  private final AtomicLong sequences = new AtomicLong();

  private record Scheduled(ScheduledFuture<?> future, long dueNanos, long sequence) {}

  DnsAnswerPolling(EventSourceContext<MtaStsPolicy> context,
      Function<String, PublishedRecordsLookup.DomainAnswer> lookup, Duration settledInterval) {
    this(context.getPrimaryCache(), lookup, settledInterval);
  }

  DnsAnswerPolling(Cache<MtaStsPolicy> primaries, Function<String, PublishedRecordsLookup.DomainAnswer> lookup,
      Duration settledInterval) {
    super(NAME, DnsAnswers.class, answers -> NAME); // one DnsAnswers per policy
    this.lookup = lookup;
    this.settledInterval = settledInterval;
    this.primaries = primaries;
  }

  /** One lookup per domain, in lower case (RFC 4343), as the publication names them. */
  static DnsAnswers poll(Function<String, PublishedRecordsLookup.DomainAnswer> lookup, MtaStsPolicy policy) {
    Map<String, PublishedRecordsLookup.DomainAnswer> answers = new LinkedHashMap<>();
    for (String domain : Publication.domainsOf(policy)) {
      answers.put(domain, lookup.apply(domain));
    }
    return new DnsAnswers(answers);
  }

  /** Slow once the status says DNS answers the current records of the current generation; quick otherwise. */
  static Duration interval(MtaStsPolicy policy, Duration settled) {
    boolean published = policy.getStatus() != null
        && policy.getStatus().getObservedGeneration() != null
        && policy.getStatus().getObservedGeneration().equals(policy.getMetadata().getGeneration())
        && ConditionList.find(policy.getStatus().getConditions(), ConditionTypes.DNS_PUBLISHED)
            .filter(c -> ConditionStatus.of(c.getStatus()) == ConditionStatus.TRUE).isPresent();
    return published ? settled : WHILE_WAITING;
  }

  @Override
  public void onResourceCreated(MtaStsPolicy policy) {
    scheduleWithin(ResourceID.fromResource(policy), Duration.ZERO);
  }

  @Override
  public void onResourceUpdated(MtaStsPolicy policy, MtaStsPolicy old) {
    scheduleWithin(ResourceID.fromResource(policy), interval(policy, settledInterval));
  }

  @Override
  public void onResourceDeleted(MtaStsPolicy policy) {
    ResourceID id = ResourceID.fromResource(policy);
    Scheduled next = scheduled.remove(id);
    if (next != null) {
      next.future().cancel(false);
    }
    handleDelete(id);
  }

  /** Polls within delay: keeps an earlier poll already due, brings a later one forward. */
  private synchronized void scheduleWithin(ResourceID id, Duration delay) {
    long due = System.nanoTime() + delay.toNanos();
    Scheduled next = scheduled.get(id);
    if (next != null && next.dueNanos() <= due) {
      return;
    }
    if (next != null) {
      next.future().cancel(false);
    }
    schedule(id, delay, due);
  }

  private void schedule(ResourceID id, Duration delay, long due) {
    long sequence = sequences.incrementAndGet();
    scheduled.put(id, new Scheduled(
        executor.schedule(() -> run(id, sequence), delay.toMillis(), TimeUnit.MILLISECONDS), due, sequence));
  }

  private void run(ResourceID id, long sequence) {
    if (!isRunning() || primaries.get(id).isEmpty()) {
      // The informer can tell us of a policy before JOSDK has started this source, or before the primary cache
      // holds it: ask again soon. Dropping the poll would leave its entry due in the past, and every later
      // scheduleWithin would keep that entry, so the policy would never be looked up (found by the fault campaign:
      // a first publication stuck at "DNS has not been looked up yet").
      synchronized (this) {
        Scheduled current = scheduled.get(id);
        if (current != null && current.sequence() == sequence && !executor.isShutdown()) {
          schedule(id, WHILE_WAITING, System.nanoTime() + WHILE_WAITING.toNanos());
        }
      }
      return;
    }
    primaries.get(id).ifPresent(policy -> {
      try {
        handleResources(id, poll(lookup, policy));
      } catch (RuntimeException e) {
        log.warn("policy={}/{} step=dns-check lookup failed: {}", id.getNamespace().orElse(""), id.getName(),
            e.toString());
      }
      Duration delay = interval(primaries.get(id).orElse(policy), settledInterval);
      synchronized (this) {
        Scheduled current = scheduled.get(id);
        // A status change may have scheduled a sooner poll meanwhile: that one stands.
        if (current != null && current.sequence() == sequence) {
          schedule(id, delay, System.nanoTime() + delay.toNanos());
        }
      }
    });
  }

  @Override
  public void stop() {
    super.stop();
    executor.shutdownNow();
  }
}
