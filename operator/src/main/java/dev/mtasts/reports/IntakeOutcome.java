package dev.mtasts.reports;

import java.util.Objects;

/** What became of one received report. */
public record IntakeOutcome(Kind kind, String message) {

  public enum Kind {
    /** Stored now. */
    STORED,
    /** The same report-id was stored before; nothing new is stored, and the sender may stop retrying. */
    DUPLICATE,
    /** Not a report: the message names the field and the rule. Retrying cannot help. */
    MALFORMED,
    /** A report for a domain no policy publishes. Retrying cannot help. */
    NOT_OURS,
    /** Could not be stored now (the API server did not answer); the sender should retry later. */
    UNAVAILABLE
  }

  public IntakeOutcome {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** Whether the sender may consider the report delivered: it is stored, now or before. */
  public boolean delivered() {
    return kind == Kind.STORED || kind == Kind.DUPLICATE;
  }

  public static IntakeOutcome stored(String message) {
    return new IntakeOutcome(Kind.STORED, message);
  }

  public static IntakeOutcome duplicate(String message) {
    return new IntakeOutcome(Kind.DUPLICATE, message);
  }

  public static IntakeOutcome malformed(String message) {
    return new IntakeOutcome(Kind.MALFORMED, message);
  }

  public static IntakeOutcome notOurs(String message) {
    return new IntakeOutcome(Kind.NOT_OURS, message);
  }

  public static IntakeOutcome unavailable(String message) {
    return new IntakeOutcome(Kind.UNAVAILABLE, message);
  }
}
