package dev.mtasts.rfc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Flags policies that are valid but risky or pointless; nothing here makes a policy invalid. */
public final class PolicyLint {

  static final long ONE_DAY = 86_400;
  static final long ONE_WEEK = 7 * ONE_DAY;

  private PolicyLint() {
  }

  /** Warnings and remarks for a valid policy; {@code tlsRptPublished} says whether a TLSRPT record exists. */
  public static List<Finding> check(Policy policy, boolean tlsRptPublished) {
    List<Finding> findings = new ArrayList<>();
    if (policy.mode() == Mode.ENFORCE) {
      maxAge(policy.maxAgeSeconds(), findings);
    }
    if (policy.mode() == Mode.TESTING && !tlsRptPublished) {
      // RFC 8461 §5: in testing mode the only effect is TLSRPT reports; without a record nobody receives them.
      findings.add(Finding.warning("mode", RfcSection.RFC8461_5,
          "mode \"testing\" without a TLSRPT record: senders change nothing and report to no one"));
    }
    Set<MxPattern> seen = new HashSet<>();
    for (MxPattern mx : policy.mx()) {
      if (!seen.add(mx)) {
        findings.add(Finding.info("mx", RfcSection.RFC8461_3_2, "mx " + Finding.quote(mx.value())
            + " is listed more than once"));
      }
    }
    return findings;
  }

  // RFC 8461 §3.2: max_age is "expected ... typically be in the range of weeks or greater", since a short cache
  // leaves each refetch open to the very downgrade the policy exists to stop.
  private static void maxAge(long seconds, List<Finding> findings) {
    String rule = RfcSection.RFC8461_3_2;
    if (seconds == 0) {
      findings.add(Finding.warning("max_age", rule,
          "max_age 0 in enforce mode: senders may drop the policy at once, so it protects almost nothing"));
    } else if (seconds < ONE_DAY) {
      findings.add(Finding.warning("max_age", rule, "max_age " + seconds
          + " is under one day (86400) in enforce mode; senders refetch often and an attacker can block the refetch"));
    } else if (seconds < ONE_WEEK) {
      findings.add(Finding.info("max_age", rule, "max_age " + seconds
          + " is under one week (604800); RFC 8461 expects weeks or more in enforce mode"));
    }
  }
}
