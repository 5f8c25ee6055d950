package dev.mtasts.rfc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What PolicyParser found: the policy when there is no ERROR, and every finding in order. */
public record PolicyParseResult(Optional<Policy> policy, List<Finding> findings) {

  public PolicyParseResult {
    Objects.requireNonNull(policy, "policy");
    findings = List.copyOf(findings);
  }

  /** True when senders would accept the policy (no ERROR finding). */
  public boolean isValid() {
    return policy.isPresent();
  }

  /** Only the ERROR findings. */
  public List<Finding> errors() {
    return findings.stream().filter(Finding::isError).toList();
  }
}
