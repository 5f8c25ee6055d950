package dev.mtasts.publication;

import java.util.Optional;

/**
 * Whether the operator polls MX records (its {@code --mx-check-interval}), and what the last poll found. The
 * publication reads it for spec.discoverMx, the status for MxCovered.
 */
public record MxObservation(boolean enabled, Optional<MxRecords> records) {

  /** The operator runs without its MX check. */
  public static final MxObservation OFF = new MxObservation(false, Optional.empty());
  /** The MX check is on but has not answered yet (and what {@code render}, which looks nothing up, assumes). */
  public static final MxObservation NOT_YET = new MxObservation(true, Optional.empty());

  public static MxObservation of(MxRecords records) {
    return new MxObservation(true, Optional.of(records));
  }
}
