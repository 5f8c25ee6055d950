package dev.mtasts.publication;

import dev.mtasts.rfc.PolicyId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides the policy id: a new one when, and only when, the hash of what senders see changed (RFC 8461 §3.1: the
 * id must change with the policy, or senders keep a stale cached copy). Restarts, resyncs and spec changes that
 * leave the served policy alone keep the id.
 */
public final class PolicyIdAllocator {

  /** The outcome: the id to publish, and why it changed, if it did. */
  public record Allocation(String policyId, Optional<String> previousId, Optional<String> reason) {
    public boolean changed() {
      return reason.isPresent();
    }

    /** "policy id 2026... -> 2026...: the policy changed", for the event and the log. */
    public String describe() {
      return "policy id " + previousId.orElse("(none)") + " -> " + policyId + ": " + reason.orElse("unchanged");
    }
  }

  private PolicyIdAllocator() {}

  public static Allocation allocate(
      Optional<String> previousId, Optional<String> previousHash, String hash, Instant now) {
    Objects.requireNonNull(hash, "hash");
    // A status edited by hand may hold an id senders would refuse; never publish it, issue a good one.
    previousId = previousId.filter(PolicyId::isValid);
    if (previousId.isPresent() && previousHash.filter(hash::equals).isPresent()) {
      return new Allocation(previousId.get(), previousId, Optional.empty());
    }
    String reason = previousId.isEmpty() ? "first publication" : "the policy changed";
    return new Allocation(PolicyId.next(now, previousId), previousId, Optional.of(reason));
  }
}
