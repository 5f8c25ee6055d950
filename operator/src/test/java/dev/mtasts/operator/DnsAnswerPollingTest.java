package dev.mtasts.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.PublishedRecordsLookup.DomainAnswer;
import dev.mtasts.testing.TestObservations;
import dev.mtasts.testing.TestPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** How often DNS is asked: slowly once it answers what is published, quickly while a change is awaited. */
class DnsAnswerPollingTest {

  static final Duration SETTLED = Duration.ofMinutes(5);

  @Test
  void aPolicyWhoseRecordsDnsAnswersIsAskedAtTheSettledInterval() {
    MtaStsPolicy published = TestObservations.allDone().withStatus();

    assertThat(DnsAnswerPolling.interval(published, SETTLED)).isEqualTo(SETTLED);
  }

  @Test
  void aPolicyWaitingForDnsIsAskedEveryFewSeconds() {
    TestObservations waiting = TestObservations.allDone();
    waiting.dns = p -> TestObservations.answering(p, "v=STSv1; id=1", null);

    assertThat(DnsAnswerPolling.interval(waiting.withStatus(), SETTLED)).isEqualTo(DnsAnswerPolling.WHILE_WAITING);
  }

  @Test
  void anEditTheOperatorHasNotReportedOnYetIsAskedSoon() {
    MtaStsPolicy edited = TestObservations.allDone().withStatus();
    edited.getMetadata().setGeneration(edited.getMetadata().getGeneration() + 1);

    assertThat(DnsAnswerPolling.interval(edited, SETTLED)).isEqualTo(DnsAnswerPolling.WHILE_WAITING);
  }

  @Test
  void aNewPolicyIsAskedSoon() {
    assertThat(DnsAnswerPolling.interval(TestPolicies.enforce("example.com"), SETTLED))
        .isEqualTo(DnsAnswerPolling.WHILE_WAITING);
  }

  @Test
  void eachDomainIsLookedUpInLowerCase() {
    MtaStsPolicy policy = TestPolicies.enforce("Example.com", "example.NET");

    assertThat(DnsAnswerPolling.poll(d -> new DomainAnswer(d, List.of(), Optional.empty()), policy).byDomain())
        .containsOnlyKeys("example.com", "example.net");
  }

  @Test
  void aPolicyNotYetInThePrimaryCacheAtItsFirstPollIsStillLookedUp() {
    MtaStsPolicy policy = TestPolicies.enforce("example.com");
    policy.getMetadata().setNamespace("mail");
    Map<ResourceID, MtaStsPolicy> cached = new ConcurrentHashMap<>();
    AtomicInteger cacheReads = new AtomicInteger();
    List<String> asked = new CopyOnWriteArrayList<>();
    DnsAnswerPolling polling = new DnsAnswerPolling(cache(cached, cacheReads), domain -> {
      asked.add(domain);
      return new DomainAnswer(domain, List.of(), Optional.empty());
    }, SETTLED);
    polling.setEventHandler(event -> { });
    polling.start();
    try {
      // The informer tells of the policy before JOSDK's cache holds it: the first poll finds nothing to ask about.
      polling.onResourceCreated(policy);
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cacheReads.get() > 0);
      cached.put(ResourceID.fromResource(policy), policy);

      // Before the fix the dropped poll stayed "due" and kept every later one from being scheduled: never asked.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> asked.contains("example.com"));
      assertThat(polling.getSecondaryResource(ResourceID.fromResource(policy))).isPresent();
    } finally {
      polling.stop();
    }
  }

  static Cache<MtaStsPolicy> cache(Map<ResourceID, MtaStsPolicy> cached, AtomicInteger reads) {
    return new Cache<>() {
      @Override
      public Optional<MtaStsPolicy> get(ResourceID id) {
        reads.incrementAndGet();
        return Optional.ofNullable(cached.get(id));
      }

      @Override
      public Stream<ResourceID> keys() {
        return cached.keySet().stream();
      }

      @Override
      public Stream<MtaStsPolicy> list(Predicate<MtaStsPolicy> predicate) {
        return cached.values().stream().filter(predicate);
      }
    };
  }
}
