package dev.mtasts.rfc;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a policy body strictly against RFC 8461 §3.2 and reports every problem with its line, not just the first.
 * ERROR means senders (or some of them) would reject the policy; WARNING is legal but risky; INFO is a remark.
 */
public final class PolicyParser {

  private static final String RULE = RfcSection.RFC8461_3_2;
  private static final String VERSION = "STSv1";
  private static final int MAX_AGE_DIGITS = 10;
  private static final List<String> REGISTERED = List.of("version", "mode", "mx", "max_age");
  private static final char REPLACEMENT = '\uFFFD';

  private final List<Finding> findings = new ArrayList<>();
  private final Set<Integer> undecodableLines;
  // RFC 8461 §3.2: of a repeated non-mx field "all entries except for the first SHALL be ignored".
  private final Map<String, Integer> firstLine = new HashMap<>();
  private int firstFieldLine;
  private Optional<Mode> mode = Optional.empty();
  private Long maxAge;
  private boolean mxSeen;
  private final List<MxPattern> mx = new ArrayList<>();
  private final List<Extension> extensions = new ArrayList<>();

  private PolicyParser(Set<Integer> undecodableLines) {
    this.undecodableLines = undecodableLines;
  }

  /**
   * Parses a body as fetched or read from a file: bytes that are not UTF-8 are reported with their line and offset.
   * Files and HTTP bodies must come here as bytes; decoding them first turns bad bytes into U+FFFD, which is legal.
   */
  public static ParseResult<Policy> parse(byte[] body) {
    List<Finding> encoding = new ArrayList<>();
    String text = decode(body, encoding);
    Set<Integer> lines = new HashSet<>();
    encoding.forEach(f -> lines.add(lineNumber(f)));
    PolicyParser parser = new PolicyParser(lines);
    parser.findings.addAll(encoding);
    return parser.run(text);
  }

  /** Parses a body that never was bytes (one we rendered, a test's text); anything read must use parse(byte[]). */
  public static ParseResult<Policy> parse(String body) {
    return new PolicyParser(Set.of()).run(body);
  }

  private ParseResult<Policy> run(String body) {
    if (body.isEmpty()) {
      error("body", "the policy body is empty");
      return result();
    }
    String text = body;
    if (text.startsWith("\uFEFF")) {
      error("line 1", "starts with a byte order mark (U+FEFF), which senders read as part of the first field name");
      text = text.substring(1);
    }
    int crlf = 0;
    int lf = 0;
    int number = 1;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        boolean isCrlf = i > start && text.charAt(i - 1) == '\r';
        if (isCrlf) {
          crlf++;
        } else {
          lf++;
        }
        line(number++, text.substring(start, isCrlf ? i - 1 : i));
        start = i + 1;
      }
    }
    if (start < text.length()) {
      line(number, text.substring(start));
    }
    if (crlf > 0 && lf > 0) {
      // RFC 8461 §3.2 sts-policy-term = LF / CRLF per line, so mixing is legal; it usually means hand edits.
      info("body", "mixed line endings: " + crlf + " lines end with CRLF and " + lf + " with LF");
    }
    missingFields();
    return result();
  }

  private void line(int number, String text) {
    String where = "line " + number;
    if (text.isEmpty()) {
      // The ABNF has no empty line: every sts-policy-term is followed by a field or ends the file.
      error(where, "empty line; fields follow one another without blank lines");
      return;
    }
    if (text.chars().allMatch(c -> c == ' ' || c == '\t')) {
      error(where, "line contains only whitespace");
      return;
    }
    boolean broken = badCharacters(where, text) || undecodableLines.contains(number);
    if (text.indexOf('\r') >= 0) {
      // Already reported; reading the CR-separated parts as lines avoids a cascade of bogus "missing" errors.
      for (String part : text.split("\r")) {
        fieldLine(number, part, badCharacters(part) || undecodableLines.contains(number));
      }
      return;
    }
    fieldLine(number, text, broken);
  }

  private void fieldLine(int number, String text, boolean broken) {
    String where = "line " + number;
    if (text.isEmpty()) {
      return;
    }
    int start = 0;
    while (start < text.length() && isWsp(text.charAt(start))) {
      start++;
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      error(where, Finding.quote(text) + " is not a \"name: value\" field (no \":\")");
      return;
    }
    String rawName = text.substring(start, colon);
    String name = stripWsp(rawName);
    if (name.isEmpty()) {
      error(where, "no field name before \":\"");
      return;
    }
    // The ABNF starts each line with the field name; leading WSP would also make an RFC 5322 parser see a fold.
    if (start > 0) {
      error(where, "whitespace before the field name " + Finding.quote(name));
    }
    if (name.length() < rawName.length()) {
      error(where, "whitespace between the field name " + Finding.quote(name) + " and \":\"");
    }
    if (undecodableLines.contains(number) && name.indexOf(REPLACEMENT) >= 0) {
      return; // its bytes are already reported; the U+FFFD standing in for them is not what the file says
    }
    Optional<String> badName = Extension.nameError(name);
    if (badName.isPresent()) {
      error(where, badName.get());
      return;
    }
    if (firstFieldLine == 0) {
      firstFieldLine = number;
    }
    // field-delim = ":" *WSP, and the record allows *WSP after each field: neither belongs to the value.
    field(number, name, stripWsp(text.substring(colon + 1)), broken);
  }

  private void field(int number, String name, String value, boolean broken) {
    String where = "line " + number;
    switch (name) {
      case "version" -> {
        boolean first = once(number, name);
        if (first && number != firstFieldLine) {
          info(where, "\"version\" is not the first field; the ABNF allows any order, but it conventionally comes first");
        }
        if (!broken) {
          versionProblem(value).ifPresent(p -> error(where, p));
        }
      }
      case "mode" -> {
        boolean first = once(number, name);
        Optional<Mode> parsed = broken ? Optional.empty() : Mode.fromToken(value);
        if (!broken && parsed.isEmpty()) {
          error(where, modeProblem(value));
        }
        if (first) {
          mode = parsed;
        }
      }
      case "max_age" -> {
        boolean first = once(number, name);
        Long parsed = broken ? null : maxAge(where, value);
        if (first) {
          maxAge = parsed;
        }
      }
      case "mx" -> {
        mxSeen = true;
        if (!broken) {
          mx(where, value);
        }
      }
      default -> extension(where, name, value, broken);
    }
  }

  private boolean once(int number, String name) {
    Integer first = firstLine.putIfAbsent(name, number);
    if (first != null) {
      warning("line " + number, "duplicate " + Finding.quote(name) + " field; senders use the first one (line "
          + first + ") and ignore this one");
    }
    return first == null;
  }

  private static Optional<String> versionProblem(String value) {
    if (value.equals(VERSION)) {
      return Optional.empty();
    }
    if (value.isEmpty()) {
      return Optional.of("version has no value");
    }
    // %s"STSv1": values are case-sensitive (RFC 7405), so "stsv1" is not the version.
    return Optional.of(value.equalsIgnoreCase(VERSION)
        ? "version " + Finding.quote(value) + " must be exactly \"STSv1\" (values are case-sensitive)"
        : "unsupported version " + Finding.quote(value) + "; only \"STSv1\" is defined");
  }

  private static String modeProblem(String value) {
    if (value.isEmpty()) {
      return "mode has no value";
    }
    String lower = value.toLowerCase(Locale.ROOT);
    return Mode.fromToken(lower).isPresent()
        ? "mode " + Finding.quote(value) + " must be lower case: " + Finding.quote(lower)
        : "mode " + Finding.quote(value) + " is not one of \"enforce\", \"testing\", \"none\"";
  }

  private Long maxAge(String where, String value) {
    if (value.isEmpty()) {
      error(where, "max_age has no value");
      return null;
    }
    if (!value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      error(where, "max_age " + Finding.quote(value) + " is not a whole number of seconds (digits only)");
      return null;
    }
    // sts-policy-max-age-value = 1*10(DIGIT); the prose then caps the value at 31557600.
    if (value.length() > MAX_AGE_DIGITS) {
      error(where, "max_age " + Finding.quote(value) + " has " + value.length() + " digits; at most " + MAX_AGE_DIGITS);
      return null;
    }
    long seconds = Long.parseLong(value);
    if (seconds > Policy.MAX_AGE_LIMIT) {
      error(where, "max_age " + seconds + " is above the maximum " + Policy.MAX_AGE_LIMIT);
      return null;
    }
    if (value.length() > 1 && value.startsWith("0")) {
      // 1*10(DIGIT) allows it, but a reader using C-style number parsing would take it as octal.
      warning(where, "max_age " + Finding.quote(value) + " has leading zeros; write " + seconds);
    }
    return seconds;
  }

  private void mx(String where, String value) {
    if (value.isEmpty()) {
      error(where, "mx has no value");
      return;
    }
    // Other people's policies are held to the RFC's grammar only; what it allows but we would not publish warns.
    Optional<String> problem = MxPattern.syntaxError(value);
    if (problem.isPresent()) {
      error(where, "mx: " + problem.get());
      return;
    }
    MxPattern.warning(where, value).ifPresent(findings::add);
    mx.add(MxPattern.parse(value));
  }

  private void extension(String where, String name, String value, boolean broken) {
    Optional<String> meant = REGISTERED.stream().filter(r -> squash(r).equals(squash(name))).findFirst();
    if (meant.isPresent()) {
      String why = meant.get().equalsIgnoreCase(name) ? " (field names are case-sensitive)" : "";
      warning(where, "field " + Finding.quote(name) + " is not " + Finding.quote(meant.get()) + why
          + "; senders ignore it as an unknown extension");
    } else {
      // RFC 8461 §3.2: unknown fields SHALL be ignored, so an extension is legal but has no effect today.
      info(where, "unknown field " + Finding.quote(name) + " is an extension; senders ignore it");
    }
    if (broken) {
      return;
    }
    Extension.policyValueError(name, value).ifPresentOrElse(
        p -> error(where, p),
        () -> extensions.add(new Extension(name, value)));
  }

  private void missingFields() {
    for (String name : List.of("version", "mode", "max_age")) {
      if (!firstLine.containsKey(name)) {
        error(name, "required field " + Finding.quote(name) + " is missing");
      }
    }
    // RFC 8461 §3.2 ABNF: mx is "required at least once, except when mode is 'none'".
    mode.filter(m -> m != Mode.NONE && !mxSeen).ifPresent(m ->
        error("mx", "mode " + Finding.quote(m.token()) + " requires at least one \"mx\" field"));
  }

  private boolean badCharacters(String where, String text) {
    Optional<String> problem = firstBadCharacter(text);
    problem.ifPresent(p -> error(where, p));
    return problem.isPresent();
  }

  private static boolean badCharacters(String text) {
    return firstBadCharacter(text).isPresent();
  }

  private static Optional<String> firstBadCharacter(String text) {
    String first = null;
    int count = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      String problem = characterProblem(cp, i + 1);
      if (problem != null) {
        first = first == null ? problem : first;
        count++;
      }
      i += Character.charCount(cp);
    }
    if (first == null) {
      return Optional.empty();
    }
    return Optional.of(count > 1 ? first + " (and " + (count - 1) + " more)" : first);
  }

  private static String characterProblem(int cp, int column) {
    if (cp == '\r') {
      return "carriage return (CR) at column " + column + " is not followed by a line feed; lines end with LF or CRLF";
    }
    if (cp != '\t' && (cp < 0x20 || cp == 0x7F)) {
      return "control character " + Finding.codePoint(cp) + " at column " + column;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return "unpaired surrogate " + Finding.codePoint(cp) + " at column " + column + " is not valid UTF-8";
    }
    return null;
  }

  private static String decode(byte[] body, List<Finding> encoding) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(body);
    CharBuffer out = CharBuffer.allocate(body.length + 1);
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (!result.isError()) {
        break;
      }
      int offset = in.position();
      encoding.add(Finding.error("line " + lineAt(body, offset), RULE, String.format(
          "byte 0x%02X at offset %d is not valid UTF-8", body[offset] & 0xFF, offset)));
      out.put(REPLACEMENT);
      in.position(offset + result.length());
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  private static int lineAt(byte[] body, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      line += body[i] == '\n' ? 1 : 0;
    }
    return line;
  }

  private static int lineNumber(Finding f) {
    return f.location().startsWith("line ") ? Integer.parseInt(f.location().substring(5)) : Integer.MAX_VALUE;
  }

  private ParseResult<Policy> result() {
    // Line findings in line order (stable), then findings about the body as a whole.
    findings.sort(Comparator.comparingInt(PolicyParser::lineNumber));
    boolean valid = findings.stream().noneMatch(Finding::isError);
    Optional<Policy> policy = valid
        ? Optional.of(new Policy(mode.orElseThrow(), mx, maxAge, extensions))
        : Optional.empty();
    return new ParseResult<>(policy, findings);
  }

  private static String squash(String name) {
    return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "").replace(".", "");
  }

  private static boolean isWsp(char c) {
    return c == ' ' || c == '\t';
  }

  private static String stripWsp(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && isWsp(s.charAt(from))) {
      from++;
    }
    while (to > from && isWsp(s.charAt(to - 1))) {
      to--;
    }
    return s.substring(from, to);
  }

  private void error(String location, String message) {
    findings.add(Finding.error(location, RULE, message));
  }

  private void warning(String location, String message) {
    findings.add(Finding.warning(location, RULE, message));
  }

  private void info(String location, String message) {
    findings.add(Finding.info(location, RULE, message));
  }
}
