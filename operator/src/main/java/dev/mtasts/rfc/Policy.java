package dev.mtasts.rfc;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** An MTA-STS policy (RFC 8461 §3.2): mode, mx patterns, max_age and extension fields in order. */
public record Policy(Mode mode, List<MxPattern> mx, long maxAgeSeconds, List<Extension> extensions) {

  /** RFC 8461 §3.2: max_age is at most 31557600 seconds (one year). */
  public static final long MAX_AGE_LIMIT = 31_557_600;

  // Extensions with these names would render as a second registered field and change the policy's meaning.
  private static final Set<String> REGISTERED = Set.of("version", "mode", "mx", "max_age");

  public Policy {
    Objects.requireNonNull(mode, "mode");
    mx = List.copyOf(mx);
    extensions = List.copyOf(extensions);
    if (maxAgeSeconds < 0 || maxAgeSeconds > MAX_AGE_LIMIT) {
      throw new IllegalArgumentException(
          "max_age " + maxAgeSeconds + " is outside 0.." + MAX_AGE_LIMIT + " (RFC 8461 §3.2)");
    }
    // RFC 8461 §3.2 ABNF: mx is "required at least once, except when mode is 'none'".
    if (mx.isEmpty() && mode != Mode.NONE) {
      throw new IllegalArgumentException(
          "mode \"" + mode.token() + "\" needs at least one mx pattern (RFC 8461 §3.2)");
    }
    for (Extension e : extensions) {
      if (REGISTERED.contains(e.name())) {
        throw new IllegalArgumentException(
            "extension " + Finding.quote(e.name()) + " would repeat a registered field (RFC 8461 §3.2)");
      }
      Extension.policyValueError(e.name(), e.value()).ifPresent(problem -> {
        throw new IllegalArgumentException(problem + " (RFC 8461 §3.2)");
      });
    }
  }

  /** A policy without extensions, from mx strings; convenient for building what we publish. */
  public static Policy of(Mode mode, long maxAgeSeconds, List<String> mx) {
    return new Policy(mode, mx.stream().map(MxPattern::parse).toList(), maxAgeSeconds, List.of());
  }

  /**
   * The MX hosts that match none of this policy's mx patterns, in the order given (duplicates kept): the hosts
   * senders refuse to deliver to in enforce mode and report in testing mode (RFC 8461 §4.1). Mode none applies no
   * patterns, so nothing is uncovered. Hosts compare as {@link MxPattern#matches} does: case-insensitively, one
   * trailing dot ignored.
   */
  public List<String> uncoveredHosts(Collection<String> mxHosts) {
    Objects.requireNonNull(mxHosts, "mxHosts");
    if (mode == Mode.NONE) {
      return List.of();
    }
    return mxHosts.stream().filter(host -> mx.stream().noneMatch(pattern -> pattern.matches(host))).toList();
  }

  /**
   * The normalised form: mx patterns de-duplicated and sorted (they are already lower case).
   * Senders treat mx as a set (RFC 8461 §4.1), so order and repeats carry no meaning; extensions keep their order.
   */
  public Policy canonical() {
    return new Policy(mode, mx.stream().distinct().sorted().toList(), maxAgeSeconds, extensions);
  }
}
