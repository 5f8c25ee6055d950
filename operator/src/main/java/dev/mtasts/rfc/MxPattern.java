package dev.mtasts.rfc;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** One {@code mx:} pattern of a policy: a host name, or "*." and a domain; stored in lower case. */
public record MxPattern(String value) implements Comparable<MxPattern> {

  private static final String WILDCARD = "*.";
  private static final int LABEL_LIMIT = 63;
  private static final int NAME_LIMIT = 253;
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*]?");

  public MxPattern {
    syntaxError(value).ifPresent(e -> {
      throw new IllegalArgumentException(e);
    });
    // RFC 8461 §4.1 matching is case-insensitive, so one spelling per pattern keeps equality and hashing honest.
    value = value.toLowerCase(Locale.ROOT);
  }

  /**
   * The pattern for a policy {@code mx:} value; throws IllegalArgumentException saying exactly what is wrong.
   * It accepts what the RFC accepts (see {@link #syntaxError}); what we publish is checked by {@link #publishError}.
   */
  public static MxPattern parse(String value) {
    return new MxPattern(value);
  }

  /** True for "*.domain" patterns. */
  public boolean isWildcard() {
    return value.startsWith(WILDCARD);
  }

  /**
   * Whether an MX host name is covered by this pattern.
   * RFC 8461 §4.1: "*" matches exactly one whole leftmost label, so "*.example.com" covers
   * "mx1.example.com" but neither "example.com" nor "a.b.example.com"; names compare case-insensitively.
   */
  public boolean matches(String mxHost) {
    if (mxHost == null) {
      return false;
    }
    String host = mxHost.toLowerCase(Locale.ROOT);
    // DNS answers are often absolute ("mx.example.com."); one trailing dot means the same name.
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    if (!isWildcard()) {
      return host.equals(value);
    }
    String suffix = value.substring(1);
    if (!host.endsWith(suffix)) {
      return false;
    }
    String label = host.substring(0, host.length() - suffix.length());
    return !label.isEmpty() && label.indexOf('.') < 0;
  }

  @Override
  public int compareTo(MxPattern other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }

  /**
   * Why a string is not an mx pattern at all, as {@code "<input>": <problem>}, or empty when it is one. This is what
   * we accept in other people's policies (lint, check): RFC 8461 §3.2 sts-policy-mx-value = ["*."] Domain, Domain
   * as in RFC 5321 §4.1.2 (LDH labels), within DNS's 63/253 limits (RFC 1035 §2.3.4) and written as A-labels.
   */
  public static Optional<String> syntaxError(String value) {
    if (value == null) {
      return Optional.of("the mx pattern is missing");
    }
    return problem(value).map(p -> Finding.quote(value) + ": " + p);
  }

  /**
   * Why we would not publish a pattern, as {@code "<input>": <problem>}, or empty. Stricter than the RFC: on top
   * of {@link #syntaxError}, none of what lint warns about ({@link #warning}), since each one either covers hosts
   * the domain does not run or can match no MX host at all. The operator holds its own spec to this rule.
   */
  public static Optional<String> publishError(String value) {
    return syntaxError(value).or(() -> risk(value).map(r -> Finding.quote(value) + ": " + r.problem()));
  }

  /**
   * A WARNING for a pattern the RFC allows but that is almost surely not what its author meant, or empty (also for
   * a pattern that is not one: that is {@link #syntaxError}'s to report).
   */
  static Optional<Finding> warning(String location, String value) {
    return risk(value).map(r -> Finding.warning(location, r.rule(), "mx: " + Finding.quote(value) + ": "
        + r.problem()));
  }

  /** A legal pattern's risk, and the RFC section that names it. */
  private record Risk(String rule, String problem) {}

  private static Optional<Risk> risk(String s) {
    if (s == null || problem(s).isPresent()) {
      return Optional.empty();
    }
    String domain = s.startsWith(WILDCARD) ? s.substring(WILDCARD.length()) : s;
    String[] labels = domain.split("\\.");
    String top = labels[labels.length - 1];
    // All four are legal Domain syntax: LDH labels, any count, digits allowed everywhere.
    if (IPV4.matcher(s).matches()) {
      return Optional.of(new Risk(RfcSection.RFC8461_3_2,
          "is an IPv4 address; MX records name hosts, never addresses, so it matches no MX host"));
    }
    if (labels.length == 1 && s.startsWith(WILDCARD)) {
      return Optional.of(new Risk(RfcSection.RFC8461_10_4,
          "a wildcard over a single label covers every host of a top-level domain, anyone's MX host"));
    }
    if (labels.length == 1) {
      return Optional.of(new Risk(RfcSection.RFC8461_3_2,
          "is a single-label name; MX hosts have fully qualified names, so this is likely missing its domain"));
    }
    if (top.chars().allMatch(Character::isDigit)) {
      return Optional.of(new Risk(RfcSection.RFC8461_3_2, "top-level label " + Finding.quote(top)
          + " is all digits; no top-level domain is (RFC 3696 §2), so it matches no MX host"));
    }
    return Optional.empty();
  }

  private static Optional<String> problem(String s) {
    if (s.isEmpty()) {
      return Optional.of("the pattern is empty");
    }
    if (s.chars().anyMatch(c -> c == ' ' || c == '\t')) {
      return Optional.of("contains whitespace; write one host per \"mx:\" line");
    }
    if (s.contains("://")) {
      return Optional.of("is a URL; give the host name only");
    }
    if (s.startsWith("[") || IPV6.matcher(s).matches()) {
      return Optional.of("is an IP address; mx patterns must be host names");
    }
    if (s.indexOf(':') >= 0) {
      return Optional.of("contains \":\"; give the host name without a port");
    }
    if (s.indexOf('@') >= 0) {
      return Optional.of("contains \"@\"; give the MX host name, not an e-mail address");
    }
    if (s.chars().anyMatch(c -> c > 0x7F)) {
      return Optional.of(nonAscii(s));
    }
    Optional<String> wildcard = wildcardProblem(s);
    if (wildcard.isPresent()) {
      return wildcard;
    }
    if (s.length() > 1 && s.endsWith(".")) {
      return Optional.of("ends with a dot; write the name without the trailing dot");
    }
    String domain = s.startsWith(WILDCARD) ? s.substring(WILDCARD.length()) : s;
    return domainProblem(s, domain);
  }

  private static Optional<String> wildcardProblem(String s) {
    if (s.indexOf('*') < 0) {
      return Optional.empty();
    }
    if (s.equals("*") || s.equals(WILDCARD)) {
      return Optional.of("a wildcard must be followed by a domain, as in \"*.example.com\"");
    }
    String[] labels = s.split("\\.", -1);
    for (int i = 1; i < labels.length; i++) {
      if (labels[i].indexOf('*') >= 0) {
        return Optional.of("a wildcard may only replace the leftmost label");
      }
    }
    if (!labels[0].equals("*")) {
      // RFC 8461 §4.1 narrows RFC 6125: "*" matches an entire label, never part of one.
      return Optional.of("a wildcard must replace a whole label (\"*.\"), not part of one");
    }
    return Optional.empty();
  }

  private static Optional<String> domainProblem(String s, String domain) {
    if (domain.startsWith(".")) {
      return Optional.of("has an empty label (a leading dot)");
    }
    if (domain.contains("..")) {
      return Optional.of("has an empty label (\"..\")");
    }
    String[] labels = domain.split("\\.", -1);
    for (String label : labels) {
      Optional<String> p = labelProblem(label);
      if (p.isPresent()) {
        return p;
      }
    }
    if (s.length() > NAME_LIMIT) {
      return Optional.of("is " + s.length() + " characters long; names are at most " + NAME_LIMIT);
    }
    return Optional.empty();
  }

  private static Optional<String> labelProblem(String label) {
    String quoted = "label " + Finding.quote(label);
    if (label.length() > LABEL_LIMIT) {
      return Optional.of(quoted + " is " + label.length() + " characters long; labels are at most " + LABEL_LIMIT);
    }
    for (char c : label.toCharArray()) {
      if (!(Extension.isAlnum(c) || c == '-')) {
        String what = c == '_' ? "\"_\"" : Finding.quote(String.valueOf(c));
        return Optional.of(quoted + " contains " + what + "; host names allow only letters, digits and hyphens");
      }
    }
    if (label.startsWith("-")) {
      return Optional.of(quoted + " starts with a hyphen");
    }
    if (label.endsWith("-")) {
      return Optional.of(quoted + " ends with a hyphen");
    }
    return Optional.empty();
  }

  private static String nonAscii(String s) {
    // RFC 8461 §3.2: an internationalized mx must be given as its A-label; suggest it when the JDK can compute it.
    try {
      String aLabel = IDN.toASCII(s, IDN.USE_STD3_ASCII_RULES);
      if (aLabel.chars().allMatch(c -> c <= 0x7F)) {
        return "is an internationalized name; use its A-label " + Finding.quote(aLabel.toLowerCase(Locale.ROOT));
      }
    } catch (IllegalArgumentException e) {
      // fall through: the name is not convertible, so there is no A-label to suggest
    }
    return "contains non-ASCII characters; internationalized names must use their A-label (xn--...)";
  }
}
