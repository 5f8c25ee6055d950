package dev.mtasts.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.operator.status.ConditionList.Decided;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionListTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00.750Z");
  static final Instant T1 = T0.plusSeconds(90);

  @Test
  void aNewConditionStartsNowToTheSecondWithTheGeneration() {
    List<Condition> conditions = ConditionList.update(null,
        List.of(Decided.isTrue("Ready", "Published", "all done")), 7, T0);

    assertThat(conditions).singleElement().satisfies(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("Published");
      assertThat(c.getMessage()).isEqualTo("all done");
      assertThat(c.getObservedGeneration()).isEqualTo(7L);
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z");
    });
  }

  @Test
  void lastTransitionTimeStaysWhileTheStatusHoldsEvenIfReasonAndMessageChange() {
    List<Condition> first = ConditionList.update(List.of(),
        List.of(Decided.isFalse("Ready", "RolloutInProgress", "1 of 2")), 1, T0);

    List<Condition> later = ConditionList.update(first,
        List.of(Decided.isFalse("Ready", "CertificateNotReady", "issuing")), 2, T1);

    assertThat(later.get(0).getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(later.get(0).getReason()).isEqualTo("CertificateNotReady");
    assertThat(later.get(0).getObservedGeneration()).isEqualTo(2L);
  }

  @Test
  void aFlipMovesLastTransitionTime() {
    List<Condition> first = ConditionList.update(List.of(), List.of(Decided.isFalse("Ready", "Pending", "wait")), 1,
        T0);

    List<Condition> flipped = ConditionList.update(first, List.of(Decided.isTrue("Ready", "Published", "done")), 1,
        T1);

    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-12-01T10:01:30Z");
  }

  @Test
  void theOrderIsTheDecidedOrderAndConditionsNoLongerDecidedAreDropped() {
    List<Condition> first = ConditionList.update(List.of(), List.of(
        Decided.unknown("Old", "Pending", "gone next time"), Decided.isTrue("A", "Ok", "a")), 1, T0);

    List<Condition> next = ConditionList.update(first, List.of(
        Decided.isTrue("B", "Ok", "b"), Decided.isTrue("A", "Ok", "a")), 1, T1);

    assertThat(next).extracting(Condition::getType).containsExactly("B", "A");
    assertThat(next).extracting(Condition::getStatus).containsExactly("True", "True");
  }

  @Test
  void unknownIsWrittenAsTheApiConventionsSpellIt() {
    assertThat(ConditionList.update(List.of(), List.of(Decided.unknown("MxCovered", "Pending", "not yet")), 1, T0))
        .extracting(Condition::getStatus).containsExactly("Unknown");
  }
}
