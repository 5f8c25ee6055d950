package dev.mtasts.rfc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a DNS TXT record parser found: the record when there is no ERROR, and every finding in order. */
public record RecordParseResult<T>(Optional<T> record, List<Finding> findings) {

  public RecordParseResult {
    Objects.requireNonNull(record, "record");
    findings = List.copyOf(findings);
  }

  /** True when senders would use the record (no ERROR finding). */
  public boolean isValid() {
    return record.isPresent();
  }

  /** Only the ERROR findings. */
  public List<Finding> errors() {
    return findings.stream().filter(Finding::isError).toList();
  }
}
