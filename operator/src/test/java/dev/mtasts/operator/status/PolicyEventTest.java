package dev.mtasts.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicyStatus;
import dev.mtasts.publication.DomainConflict;
import dev.mtasts.publication.MxObservation;
import dev.mtasts.publication.MxRecords;
import dev.mtasts.publication.PolicyIdAllocator;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.testing.TestObservations;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Events follow from the change of status, so a visit that changes nothing records nothing. */
class PolicyEventTest {

  static Observations seen(Consumer<TestObservations> change) {
    TestObservations seen = TestObservations.allDone();
    change.accept(seen);
    return seen.build();
  }

  static MtaStsPolicyStatus status(Observations seen, MtaStsPolicyStatus previous) {
    return PolicyStatusCalculator.compute(seen, previous);
  }

  static List<PolicyEvent> events(MtaStsPolicyStatus previous, Observations seen) {
    return PolicyEvent.implied(Optional.ofNullable(previous), status(seen, previous), seen.decision().published());
  }

  static MxObservation uncovered(String... hosts) {
    return MxObservation.of(new MxRecords(Map.of("example.com", List.of(hosts)), Map.of()));
  }

  @Test
  void theFirstPublicationIsRecordedWithTheIdAndWhy() {
    Observations first = seen(o -> { });

    assertThat(events(null, first)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(PolicyEvent.Reason.PolicyIdChanged);
      assertThat(e.reason().type()).isEqualTo("Normal");
      assertThat(e.message()).startsWith("policy id (none) -> 2026112307000000: first publication ")
          .contains("(policy hash " + first.decision().published().orElseThrow().content().hash().substring(0, 12));
    });
  }

  @Test
  void aVisitThatChangesNothingRecordsNothing() {
    Observations seen = seen(o -> o.mx = uncovered("backup.example.net"));
    MtaStsPolicyStatus before = status(seen, null);

    assertThat(events(before, seen)).isEmpty();
  }

  @Test
  void aNewIdIsRecordedWithTheOldOne() {
    MtaStsPolicyStatus before = status(seen(o -> { }), null);
    TestObservations changed = TestObservations.allDone();
    PublishedPolicy base = changed.published();
    Observations next = new Observations(3, new dev.mtasts.publication.Publication.Decision(List.of(),
        Optional.of(new PublishedPolicy(base.content(), new PolicyIdAllocator.Allocation("2026112307000001",
            Optional.of("2026112307000000"), Optional.of("the policy changed")), base.domains(), List.of())),
        Optional.empty()), List.of(), changed.rollout, Optional.empty(), changed.certificate, Optional.empty(),
        MxObservation.OFF, DnsAnswers.Observation.OFF, java.util.Map.of(), changed.now);

    assertThat(events(before, next)).extracting(PolicyEvent::message)
        .singleElement().asString().startsWith("policy id 2026112307000000 -> 2026112307000001: the policy changed");
  }

  @Test
  void dnsThatStaysBehindPastThePublishTimeoutIsAWarningOnceNotOnEveryVisit() {
    TestObservations waiting = TestObservations.allDone();
    waiting.dns = p -> TestObservations.answering(p, "v=STSv1", null);
    waiting.handedOverAgo(java.time.Duration.ofMinutes(9));
    MtaStsPolicyStatus behind = status(waiting.build(), waiting.previous);
    assertThat(events(behind, waiting.build())).as("still within the timeout").isEmpty();

    waiting.now = waiting.now.plus(java.time.Duration.ofMinutes(2));
    List<PolicyEvent> overdue = events(behind, waiting.build());
    assertThat(overdue).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(PolicyEvent.Reason.DnsNotAnswering);
      assertThat(e.reason().type()).isEqualTo("Warning");
      assertThat(e.message()).startsWith("_mta-sts.example.com answers \"v=STSv1\"")
          .contains("--managed-record-types=TXT");
    });

    MtaStsPolicyStatus reported = status(waiting.build(), behind);
    waiting.now = waiting.now.plus(java.time.Duration.ofMinutes(5));
    assertThat(events(reported, waiting.build())).as("reported once").isEmpty();
  }

  @Test
  void aConflictIsRecordedOnceAsAWarningAndAgainOnlyForANewDomain() {
    Observations one = seen(o -> o.conflicts = List.of(new DomainConflict("example.com", "mail/first")));
    MtaStsPolicyStatus before = status(one, null);
    Observations two = seen(o -> o.conflicts = List.of(new DomainConflict("example.com", "mail/first"),
        new DomainConflict("example.org", "mail/first")));

    assertThat(events(null, one)).filteredOn(e -> e.reason() == PolicyEvent.Reason.DomainConflict)
        .singleElement().satisfies(e -> {
          assertThat(e.reason().type()).isEqualTo("Warning");
          assertThat(e.message()).isEqualTo("example.com is claimed by the older MtaStsPolicy mail/first; nothing is"
              + " published for it here");
        });
    assertThat(events(before, one)).isEmpty();
    assertThat(events(before, two)).extracting(PolicyEvent::message)
        .containsExactly("example.org is claimed by the older MtaStsPolicy mail/first; nothing is published for it"
            + " here");
  }

  @Test
  void anUncoveredMxIsRecordedWhenItAppearsAndWhenTheListChanges() {
    MtaStsPolicyStatus covered = status(seen(o -> o.mx = uncovered("mx1.example.com")), null);
    Observations one = seen(o -> o.mx = uncovered("mx1.example.com", "backup.example.net"));
    Observations two = seen(o -> o.mx = uncovered("backup.example.net", "spare.example.net"));

    assertThat(events(covered, one)).singleElement().satisfies(e -> {
      assertThat(e.reason()).isEqualTo(PolicyEvent.Reason.MxNotCovered);
      assertThat(e.message()).startsWith("backup.example.net (MX of example.com) matches none of the mx patterns");
    });
    assertThat(events(status(one, covered), two)).extracting(PolicyEvent::reason)
        .containsExactly(PolicyEvent.Reason.MxNotCovered);
  }
}
