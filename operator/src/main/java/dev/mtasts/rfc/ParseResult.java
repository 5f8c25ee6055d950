package dev.mtasts.rfc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a strict parser found in a policy file or a TXT record: the parsed value when there is no ERROR, and every
 * finding in order.
 */
public record ParseResult<T>(Optional<T> value, List<Finding> findings) {

  public ParseResult {
    Objects.requireNonNull(value, "value");
    findings = List.copyOf(findings);
  }

  /** True when senders would use what was parsed (no ERROR finding). */
  public boolean isValid() {
    return value.isPresent();
  }

  /** Only the ERROR findings. */
  public List<Finding> errors() {
    return findings.stream().filter(Finding::isError).toList();
  }
}
