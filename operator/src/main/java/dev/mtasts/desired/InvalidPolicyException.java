package dev.mtasts.desired;

import java.util.List;

/** A resource that breaks the CRD's rules; the message lists every problem, one per line. */
public final class InvalidPolicyException extends RuntimeException {

  private final transient List<String> errors;

  public InvalidPolicyException(String resource, List<String> errors) {
    super(resource + " is invalid:\n  " + String.join("\n  ", errors));
    this.errors = List.copyOf(errors);
  }

  public List<String> errors() {
    return errors;
  }
}
