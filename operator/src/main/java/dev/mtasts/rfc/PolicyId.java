package dev.mtasts.rfc;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Policy ids for the {@code _mta-sts} TXT record: 16 digits, {@code yyyyMMddHHmmss} in UTC and a 2-digit counter.
 * RFC 8461 §3.1 only needs a new id per policy change (senders compare for equality); we also keep ids increasing
 * so that "newer" is visible and two changes in one second, or a clock stepping back, still get distinct ids.
 * Past 99 changes in one second the counter carries into the seconds digits: the id is then no longer a real
 * time, but it is still the previous id plus one, so the order holds.
 */
public final class PolicyId {

  /**
   * The order of ids: ours (16 digits) by number, after any id of another form; others by string order.
   * Ours all have 16 digits, so string order equals numeric order.
   */
  public static final Comparator<String> ORDER =
      Comparator.comparing(PolicyId::isOurs).thenComparing(Comparator.naturalOrder());

  private static final Pattern OURS = Pattern.compile("\\d{16}");
  private static final long LAST = 9_999_999_999_999_999L;

  private PolicyId() {
  }

  /** The id for a policy changed at {@code now}, strictly after {@code previous} in {@link #ORDER}. */
  public static String next(Instant now, Optional<String> previous) {
    String candidate = candidate(now);
    return previous
        .filter(PolicyId::isOurs)
        .filter(p -> p.compareTo(candidate) >= 0)
        .map(PolicyId::increment)
        .orElse(candidate);
  }

  /** {@link #next(Instant, Optional)} at the clock's current instant. */
  public static String next(Clock clock, Optional<String> previous) {
    return next(clock.instant(), previous);
  }

  /** Whether a string may be an id at all: RFC 8461 §3.1 sts-id = 1*32(ALPHA / DIGIT). */
  public static boolean isValid(String id) {
    return id != null && StsRecord.idError(id).isEmpty();
  }

  /** Whether {@code id} comes strictly after {@code previous} in {@link #ORDER}. */
  public static boolean isAfter(String id, String previous) {
    return ORDER.compare(id, previous) > 0;
  }

  private static boolean isOurs(String id) {
    return OURS.matcher(id).matches();
  }

  private static String candidate(Instant now) {
    // Always UTC, never the JVM's default zone, so every replica derives the same id for the same instant.
    LocalDateTime t = LocalDateTime.ofInstant(now, ZoneOffset.UTC);
    if (t.getYear() < 0 || t.getYear() > 9999) {
      throw new IllegalArgumentException("instant " + now + " is outside the years 0000-9999");
    }
    return String.format("%04d%02d%02d%02d%02d%02d00", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
        t.getHour(), t.getMinute(), t.getSecond());
  }

  private static String increment(String id) {
    long value = Long.parseLong(id);
    if (value == LAST) {
      throw new IllegalStateException("policy id " + id + " is the last 16-digit id; no later one exists");
    }
    return String.format("%016d", value + 1);
  }
}
