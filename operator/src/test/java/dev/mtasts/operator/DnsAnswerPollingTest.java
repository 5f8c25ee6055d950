package dev.mtasts.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.check.PublishedRecordsLookup.DomainAnswer;
import dev.mtasts.testing.TestObservations;
import dev.mtasts.testing.TestPolicies;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
}
