package dev.mtasts.rfc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Splits a "v=...; name=value; ..." TXT record into fields and checks the shape both RFCs share:
 * RFC 8461 §3.1 (sts-sep) and RFC 8460 §3 (field-delim) are both *WSP ";" *WSP after a leading version.
 */
final class TxtFields {

  /** A registered field (e.g. id, rua); {@code first} is false for repeats, which senders ignore. */
  record Field(int number, String name, String value, boolean first) {
  }

  /**
   * The registered fields with readable values, the valid extensions, the findings, whether the version was
   * right, and which registered names appeared at all (even with unreadable values).
   */
  record Result(List<Field> fields, List<Extension> extensions, List<Finding> findings, boolean versionOk,
      Set<String> seen) {
  }

  private final String version;
  private final List<String> registered;
  private final String rule;
  private final List<Field> fields = new ArrayList<>();
  private final List<Extension> extensions = new ArrayList<>();
  private final List<Finding> findings = new ArrayList<>();
  private final Map<String, Integer> firstField = new HashMap<>();

  private TxtFields(String version, List<String> registered, String rule) {
    this.version = version;
    this.registered = registered;
    this.rule = rule;
  }

  static Result split(String record, String version, List<String> registered, String rule) {
    return new TxtFields(version, registered, rule).run(record);
  }

  private Result run(String record) {
    if (record.isEmpty()) {
      error("record", "the TXT record is empty");
      return result(false);
    }
    badCharacters(record);
    String text = record;
    if (isWsp(text.charAt(0))) {
      error("record", "whitespace before " + Finding.quote(version));
      text = stripLeading(text);
    }
    String[] pieces = text.split(";", -1);
    String head = stripTrailing(pieces[0]);
    if (!head.equals(version)) {
      char next = head.startsWith(version) ? head.charAt(version.length()) : 'x';
      if (Extension.isAlnum(next)) {
        error("record", versionProblem(head));
        return result(false);
      }
      error("record", "expected \";\" after " + Finding.quote(version) + ", found "
          + Finding.quote(String.valueOf(next)));
      if (!isWsp(next)) {
        return result(false);
      }
      // "v=STSv1 id=1": after the missing separator, read the rest as the field it was meant to be.
      pieces[0] = head.substring(version.length());
      piece(pieces, 0);
    } else if (head.length() < pieces[0].length()) {
      if (pieces.length == 1) {
        error("record", "whitespace after the last field; only \";\" may follow it");
      } else {
        // The ABNF allows it, but §3.1 discards records not beginning with "v=STSv1;" (errata 6285 notes the clash).
        warning("record", "whitespace before the \";\" after " + Finding.quote(version)
            + "; some senders discard records that do not begin with exactly " + Finding.quote(version + ";"));
      }
    }
    for (int i = 1; i < pieces.length; i++) {
      piece(pieces, i);
    }
    return result(true);
  }

  private void piece(String[] pieces, int index) {
    String raw = pieces[index];
    boolean last = index == pieces.length - 1;
    String where = "field " + (index + 1);
    String content = stripTrailing(stripLeading(raw));
    if (content.isEmpty()) {
      // A final ";" (with optional WSP) is the optional trailing separator; anywhere else the field is missing.
      if (!last) {
        error(where, "empty field between \";\" separators");
      }
      return;
    }
    if (last && content.length() < stripLeading(raw).length()) {
      error("record", "whitespace after the last field; only \";\" may follow it");
    }
    int eq = content.indexOf('=');
    if (eq < 0) {
      error(where, Finding.quote(content) + " is not a name=value field");
      return;
    }
    String name = content.substring(0, eq);
    String value = content.substring(eq + 1);
    if (name.length() > stripTrailing(name).length() || value.length() > stripLeading(value).length()) {
      error(where, "whitespace around \"=\" in " + Finding.quote(content));
      name = stripTrailing(name);
      value = stripLeading(value);
    }
    var badName = Extension.nameError(name);
    if (badName.isPresent()) {
      error(where, badName.get());
      return;
    }
    boolean clean = content.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
    if (registered.contains(name)) {
      Integer first = firstField.putIfAbsent(name, index + 1);
      if (first != null) {
        // RFC 8461 §3.2 (which covers TXT records too): of a repeated field only the first counts.
        warning(where, "duplicate " + Finding.quote(name) + " field; senders use the first one (field " + first
            + ") and ignore this one");
      }
      if (clean) {
        fields.add(new Field(index + 1, name, value, first == null));
      }
      return;
    }
    extension(where, name, value, clean);
  }

  private void extension(String where, String name, String value, boolean clean) {
    String meant = registered.stream().filter(r -> r.equalsIgnoreCase(name)).findFirst().orElse(null);
    if (name.equals("v")) {
      // Not kept: as an extension it would render a second version field.
      warning(where, "a second \"v\" field; senders ignore it as an unknown extension");
      return;
    }
    if (meant != null) {
      warning(where, "field " + Finding.quote(name) + " is not " + Finding.quote(meant)
          + " (field names are case-sensitive); senders ignore it as an unknown extension");
    } else {
      info(where, "unknown field " + Finding.quote(name) + " is an extension; senders ignore it");
    }
    if (!clean) {
      return;
    }
    Extension.txtValueError(name, value).ifPresentOrElse(
        p -> error(where, p),
        () -> extensions.add(new Extension(name, value)));
  }

  private String versionProblem(String head) {
    String prefix = version.substring(0, version.indexOf('=') + 1);
    int n = version.length();
    boolean wholeToken = head.length() == n || head.length() > n && isWsp(head.charAt(n));
    if (wholeToken && head.regionMatches(true, 0, version, 0, n)) {
      return "must begin with " + Finding.quote(version) + " (case-sensitive); found " + Finding.quote(head);
    }
    if (head.startsWith(prefix)) {
      return "unsupported version " + Finding.quote(head) + "; only " + Finding.quote(version) + " is defined";
    }
    return "must begin with " + Finding.quote(version) + "; found " + Finding.quote(head);
  }

  private void badCharacters(String record) {
    String first = null;
    int count = 0;
    for (int i = 0; i < record.length(); ) {
      int cp = record.codePointAt(i);
      String problem = null;
      if (cp != '\t' && (cp < 0x20 || cp == 0x7F)) {
        problem = "control character " + Finding.codePoint(cp) + " at position " + (i + 1);
      } else if (cp > 0x7E) {
        // RFC 8461 §3.1: TXT records MUST be US-ASCII; RFC 8460's URIs and values are ASCII too.
        problem = "character " + Finding.codePoint(cp) + " at position " + (i + 1) + " is not US-ASCII";
      }
      if (problem != null) {
        first = first == null ? problem : first;
        count++;
      }
      i += Character.charCount(cp);
    }
    if (first != null) {
      error("record", count > 1 ? first + " (and " + (count - 1) + " more)" : first);
    }
  }

  private Result result(boolean versionOk) {
    return new Result(fields, extensions, findings, versionOk, Set.copyOf(firstField.keySet()));
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  private static String stripLeading(String s) {
    int i = 0;
    while (i < s.length() && isWsp(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  private static String stripTrailing(String s) {
    int i = s.length();
    while (i > 0 && isWsp(s.charAt(i - 1))) {
      i--;
    }
    return s.substring(0, i);
  }

  private void error(String location, String message) {
    findings.add(Finding.error(location, rule, message));
  }

  private void warning(String location, String message) {
    findings.add(Finding.warning(location, rule, message));
  }

  private void info(String location, String message) {
    findings.add(Finding.info(location, rule, message));
  }
}
