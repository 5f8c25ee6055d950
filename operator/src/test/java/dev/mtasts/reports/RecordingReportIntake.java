package dev.mtasts.reports;

import dev.mtasts.tlsrpt.ReportMediaType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Stands in for the cluster store the operator's intake writes to (built elsewhere): keeps every report it is given
 * in memory, answers STORED for a body it has not stored yet and DUPLICATE for one it has (the store goes by
 * report-id; a body is as good a key here), or what the test tells it to answer next. Each call is recorded with what
 * {@link #whileAccepting} observed at that moment, so a test can check what the mailbox looked like then.
 */
final class RecordingReportIntake implements ReportIntake {

  /** One call: what was handed in, what was answered, and the observation made during the call. */
  record Call(byte[] body, ReportMediaType mediaType, Channel channel, String source, IntakeOutcome outcome,
      Optional<Object> observed) {}

  private final List<Call> calls = new ArrayList<>();
  private final List<byte[]> stored = new ArrayList<>();
  private IntakeOutcome.Kind answer;
  private Supplier<Object> whileAccepting = () -> null;

  /** From now on, answer this instead of STORED/DUPLICATE (null: back to storing). */
  synchronized void answer(IntakeOutcome.Kind kind) {
    this.answer = kind;
  }

  /** Called inside every accept, before it answers; its value is recorded with the call. */
  synchronized void whileAccepting(Supplier<Object> observation) {
    this.whileAccepting = observation;
  }

  @Override
  public synchronized IntakeOutcome accept(byte[] body, ReportMediaType mediaType, Channel channel, String source,
      Optional<String> policyHost) {
    Optional<Object> observed = Optional.ofNullable(whileAccepting.get());
    IntakeOutcome outcome;
    if (answer != null) {
      outcome = new IntakeOutcome(answer, "told to answer " + answer);
    } else if (stored.stream().anyMatch(b -> Arrays.equals(b, body))) {
      outcome = IntakeOutcome.duplicate("stored before");
    } else {
      stored.add(body.clone());
      outcome = IntakeOutcome.stored("stored");
    }
    calls.add(new Call(body.clone(), mediaType, channel, source, outcome, observed));
    return outcome;
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The bodies stored, in order. */
  synchronized List<byte[]> stored() {
    return List.copyOf(stored);
  }
}
