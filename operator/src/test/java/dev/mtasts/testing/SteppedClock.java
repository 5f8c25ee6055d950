package dev.mtasts.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock plus an offset the test moves forward: time goes on as usual (retry timers, timeouts), and a
 * day passes in one step, so a scenario over days of reports runs in seconds. Shared by every thread that reads it
 * (the reconciler, the MX probes, the report store, the test).
 */
public final class SteppedClock extends Clock {

  private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  /** Moves the time forward by step and returns the new time. */
  public Instant advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("a SteppedClock only moves forward, not by " + step);
    }
    offset.updateAndGet(o -> o.plus(step));
    return instant();
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a SteppedClock is in UTC only");
  }
}
