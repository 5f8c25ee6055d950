package dev.mtasts.publication;

/** A domain of this resource that an older resource claims; {@code winner} is its namespace/name. */
public record DomainConflict(String domain, String winner) {

  /** The sentence status, events and {@code render} use. */
  public String describe() {
    return domain + " is claimed by the older MtaStsPolicy " + winner;
  }
}
