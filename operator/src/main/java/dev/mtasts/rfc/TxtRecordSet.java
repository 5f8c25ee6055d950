package dev.mtasts.rfc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Picks the one record senders use from all TXT values at a name.
 * RFC 8461 §3.1 and RFC 8460 §3 share the rule: records not beginning with "v=...;" are discarded,
 * and unless exactly one remains there is no record at all.
 */
final class TxtRecordSet {

  private TxtRecordSet() {
  }

  static <T> ParseResult<T> select(List<String> txtValues, String version, String protocol, String consequence,
      String rule, Function<String, ParseResult<T>> parser) {
    List<Finding> findings = new ArrayList<>();
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < txtValues.size(); i++) {
      String txt = txtValues.get(i);
      String where = "record " + (i + 1);
      if (begins(txt, version)) {
        candidates.add(i);
      } else if (looksLike(txt, version)) {
        findings.add(Finding.warning(where, rule, "does not begin with " + Finding.quote(version + ";")
            + ", so senders discard it"));
      } else {
        findings.add(Finding.info(where, rule, "not " + protocol + " record; senders ignore it"));
      }
    }
    Optional<T> record = Optional.empty();
    for (int i : candidates) {
      ParseResult<T> parsed = parser.apply(txtValues.get(i));
      parsed.findings().forEach(f -> findings.add(f.within("record " + (i + 1))));
      record = parsed.value();
    }
    String prefix = Finding.quote(version + ";");
    if (candidates.isEmpty()) {
      findings.add(Finding.error("records", rule, "no TXT record begins with " + prefix + "; " + consequence));
    } else if (candidates.size() > 1) {
      String which = candidates.stream().map(i -> Integer.toString(i + 1)).collect(Collectors.joining(", "));
      findings.add(Finding.error("records", rule, candidates.size() + " TXT records begin with " + prefix
          + " (records " + which + "); " + consequence));
    }
    boolean valid = candidates.size() == 1 && findings.stream().noneMatch(Finding::isError);
    return new ParseResult<>(valid ? record : Optional.empty(), findings);
  }

  // Follows the ABNF (version, *WSP, ";") rather than the literal "v=STSv1;" of the prose; see docs/rfc-choices.md.
  private static boolean begins(String txt, String version) {
    if (!txt.startsWith(version)) {
      return false;
    }
    int i = version.length();
    while (i < txt.length() && (txt.charAt(i) == ' ' || txt.charAt(i) == '\t')) {
      i++;
    }
    return i < txt.length() && txt.charAt(i) == ';';
  }

  /** Whether a value starts with the version's stem ("v=STS") in any case: meant as this record, if malformed. */
  static boolean looksLike(String txt, String version) {
    String stem = version.substring(0, version.length() - 2).toLowerCase(Locale.ROOT);
    return txt.strip().toLowerCase(Locale.ROOT).startsWith(stem);
  }
}
