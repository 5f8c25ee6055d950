package dev.mtasts.rfc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class PolicyIdTest {

  private static final Instant NOON = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void isTheUtcSecondFollowedByACounter() {
    assertThat(PolicyId.next(NOON, Optional.empty())).isEqualTo("2025030112000000");
    assertThat(PolicyId.next(Instant.parse("2025-03-01T12:00:00.999Z"), Optional.empty()))
        .isEqualTo("2025030112000000");
    assertThat(PolicyId.next(Clock.fixed(NOON, ZoneOffset.UTC), Optional.empty())).isEqualTo("2025030112000000");
  }

  @Test
  void isMonotonicWithinOneSecond() {
    String first = PolicyId.next(NOON, Optional.empty());
    String second = PolicyId.next(NOON, Optional.of(first));
    String third = PolicyId.next(NOON.plusMillis(500), Optional.of(second));

    assertThat(List.of(first, second, third)).containsExactly("2025030112000000", "2025030112000001",
        "2025030112000002");
    assertThat(PolicyId.isAfter(third, second)).isTrue();
    assertThat(PolicyId.isAfter(second, first)).isTrue();
  }

  @Test
  void staysMonotonicWhenTheClockGoesBackwards() {
    String before = PolicyId.next(NOON, Optional.empty());
    String after = PolicyId.next(NOON.minusSeconds(3_600), Optional.of(before));

    assertThat(after).isEqualTo("2025030112000001");
    assertThat(PolicyId.isAfter(after, before)).isTrue();
  }

  @Test
  void carriesIntoTheSecondsAfter99ChangesAndStaysMonotonic() {
    List<String> ids = new ArrayList<>();
    Optional<String> previous = Optional.empty();
    for (int i = 0; i < 101; i++) {
      String id = PolicyId.next(NOON, previous);
      ids.add(id);
      previous = Optional.of(id);
    }
    String nextSecond = PolicyId.next(NOON.plusSeconds(1), previous);
    String muchLater = PolicyId.next(NOON.plusSeconds(60), Optional.of(nextSecond));

    assertThat(ids.get(99)).isEqualTo("2025030112000099");
    assertThat(ids.get(100)).isEqualTo("2025030112000100");
    assertThat(nextSecond).isEqualTo("2025030112000101");
    assertThat(muchLater).isEqualTo("2025030112010000");
    assertThat(ids).isSortedAccordingTo(PolicyId.ORDER).doesNotHaveDuplicates();
  }

  @Test
  void isAlwaysOneTo32LettersOrDigits() {
    Optional<String> previous = Optional.empty();
    for (Instant t = Instant.parse("1970-01-01T00:00:00Z"); t.isBefore(Instant.parse("9999-01-01T00:00:00Z"));
        t = t.plusSeconds(86_400L * 997 + 13)) {
      String id = PolicyId.next(t, previous);
      assertThat(id).matches("[A-Za-z0-9]{1,32}").hasSize(16);
      assertThat(PolicyId.isValid(id)).isTrue();
      previous = Optional.of(id);
    }
  }

  @Test
  void followsAnIdOfAnotherFormWithTheTimeBasedOne() {
    String foreign = "20160831085700Z";

    assertThat(PolicyId.next(NOON, Optional.of(foreign))).isEqualTo("2025030112000000");
    assertThat(PolicyId.next(NOON, Optional.of("9999999999999999999"))).isEqualTo("2025030112000000");
    assertThat(PolicyId.isAfter("2025030112000000", foreign)).isTrue();
    assertThat(PolicyId.isAfter(foreign, "2025030112000000")).isFalse();
  }

  @Test
  void doesNotDependOnTheDefaultTimeZone() {
    TimeZone saved = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone(ZoneId.of("Pacific/Kiritimati")));
      String kiritimati = PolicyId.next(NOON, Optional.empty());
      TimeZone.setDefault(TimeZone.getTimeZone(ZoneId.of("America/Los_Angeles")));
      String losAngeles = PolicyId.next(NOON, Optional.empty());

      assertThat(kiritimati).isEqualTo(losAngeles).isEqualTo("2025030112000000");
    } finally {
      TimeZone.setDefault(saved);
    }
  }

  @Test
  void validatesIdsByTheRfcGrammar() {
    assertThat(PolicyId.isValid("a")).isTrue();
    assertThat(PolicyId.isValid("A".repeat(32))).isTrue();
    assertThat(PolicyId.isValid("A".repeat(33))).isFalse();
    assertThat(PolicyId.isValid("")).isFalse();
    assertThat(PolicyId.isValid("2025-03-01")).isFalse();
    assertThat(PolicyId.isValid("é")).isFalse();
    assertThat(PolicyId.isValid(null)).isFalse();
  }

  @Test
  void coversTheYears0000To9999AndRefusesOthers() {
    assertThat(PolicyId.next(Instant.parse("0000-01-01T00:00:00Z"), Optional.empty())).isEqualTo("0000010100000000");
    assertThat(PolicyId.next(Instant.parse("9999-12-31T23:59:59Z"), Optional.empty())).isEqualTo("9999123123595900");
    assertThatThrownBy(() -> PolicyId.next(Instant.parse("+10000-01-01T00:00:00Z"), Optional.empty()))
        .hasMessage("instant +10000-01-01T00:00:00Z is outside the years 0000-9999");
    assertThatThrownBy(() -> PolicyId.next(Instant.parse("-0001-12-31T23:59:59Z"), Optional.empty()))
        .hasMessage("instant -0001-12-31T23:59:59Z is outside the years 0000-9999");
  }

  @Test
  void anIdIsNotAfterItself() {
    assertThat(PolicyId.isAfter("2026112307000000", "2026112307000000")).isFalse();
    assertThat(PolicyId.isAfter("2026112307000000", "2026112307000001")).isFalse();
  }

  @Test
  void refusesToGoPastTheLastSixteenDigitId() {
    assertThatThrownBy(() -> PolicyId.next(NOON, Optional.of("9999999999999999")))
        .isInstanceOf(IllegalStateException.class);
  }
}
