package dev.mtasts.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.rfc.RfcSection;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an SMTP TLS report (RFC 8460 §4) strictly where the RFC requires something and tolerantly where real
 * senders differ from it: datetimes without a UTC offset (read as UTC), {@code mx-host} as a string or an array
 * (erratum 6241), a missing policy-string, sending-mta-ip or contact-info, unknown fields (ignored) and unknown
 * result types (kept). Every refusal names the field path, e.g.
 * {@code policies[0].summary.total-failure-session-count}.
 *
 * <p>Reports come from anyone who can send mail or reach the HTTPS endpoint, so every size is bounded
 * ({@link Limits}): a gzip bomb is refused after reading at most the limit plus one byte of its output.
 */
public final class ReportParser {

  /** The result types of RFC 8460 §4.3; others are kept with a warning. */
  public static final Set<String> RESULT_TYPES = Set.of(
      "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
      "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
      "sts-policy-invalid", "sts-webpki-invalid");

  /** The rule a finding cites when a report is refused for its size rather than by the RFC. */
  public static final String LIMIT_RULE = "report size limits";

  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b};
  private static final String SCHEMA = RfcSection.RFC8460_4_4;

  // RFC 3339 §5.6 date-time; the offset is optional because some senders leave it out (then UTC).
  private static final DateTimeFormatter DATE_TIME = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral('T')
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);

  private static final List<String> REPORT_FIELDS =
      List.of("organization-name", "date-range", "contact-info", "report-id", "policies");
  private static final List<String> DATE_RANGE_FIELDS = List.of("start-datetime", "end-datetime");
  private static final List<String> ENTRY_FIELDS = List.of("policy", "summary", "failure-details");
  private static final List<String> POLICY_FIELDS =
      List.of("policy-type", "policy-string", "policy-domain", "mx-host");
  private static final List<String> SUMMARY_FIELDS =
      List.of("total-successful-session-count", "total-failure-session-count");
  private static final List<String> DETAIL_FIELDS = List.of("result-type", "sending-mta-ip",
      "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip", "failed-session-count",
      "additional-information", "failure-reason-code");

  /**
   * The bounds on one report.
   *
   * @param maxReportBytes the JSON document, after gzip decompression
   * @param maxNestingDepth arrays and objects inside each other; a report needs 6
   * @param maxStringLength one JSON string, in characters
   * @param maxPolicies entries of "policies"
   * @param maxFailureDetails entries of "failure-details", over all policies of the report
   */
  public record Limits(
      int maxReportBytes, int maxNestingDepth, int maxStringLength, int maxPolicies, int maxFailureDetails) {

    /** Reports are kilobytes; a big provider's daily report to a big domain stays far below these. */
    public static final Limits DEFAULT = new Limits(16 << 20, 16, 64 << 10, 1_000, 10_000);

    public Limits {
      positive("maxReportBytes", maxReportBytes);
      positive("maxNestingDepth", maxNestingDepth);
      positive("maxStringLength", maxStringLength);
      positive("maxPolicies", maxPolicies);
      positive("maxFailureDetails", maxFailureDetails);
      if (maxReportBytes == Integer.MAX_VALUE) {
        throw new IllegalArgumentException("maxReportBytes must be below " + Integer.MAX_VALUE);
      }
    }

    private static void positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
    }
  }

  private final Limits limits;
  private final ObjectMapper json;

  /** A parser with {@link Limits#DEFAULT}. */
  public ReportParser() {
    this(Limits.DEFAULT);
  }

  public ReportParser(Limits limits) {
    this.limits = limits;
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(limits.maxNestingDepth())
            .maxStringLength(limits.maxStringLength())
            .maxNameLength(limits.maxStringLength())
            .maxDocumentLength(limits.maxReportBytes())
            .build())
        // Two values for one field would make the totals ambiguous.
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.json = new ObjectMapper(factory);
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Parses a report body as received: {@code type} says whether it is gzip-compressed (RFC 8460 §5.2). The body
   * must match its media type: a body sent as gzip that is not, or as JSON that is gzip, is refused.
   */
  public ParseResult<TlsReport> parse(byte[] body, ReportMediaType type) {
    boolean gzip = startsWithGzipMagic(body);
    if (type == ReportMediaType.GZIP && !gzip) {
      return refused("body", RfcSection.RFC8460_5_2, "is not gzip (it does not start with the gzip magic bytes"
          + " 1f 8b), though its media type is " + type.value());
    }
    if (type == ReportMediaType.JSON && gzip) {
      return refused("body", RfcSection.RFC8460_5_2, "is gzip-compressed, though its media type is "
          + type.value() + "; send it as " + ReportMediaType.GZIP.value());
    }
    if (gzip) {
      try {
        return parseJson(gunzip(new ByteArrayInputStream(body)));
      } catch (ReportTooLarge e) {
        return refused("body", LIMIT_RULE, "decompresses to more than " + limits.maxReportBytes() + " bytes");
      } catch (EOFException e) {
        return refused("body", RfcSection.RFC8460_5_2, "the gzip data is truncated");
      } catch (IOException e) {
        return refused("body", RfcSection.RFC8460_5_2, "is not valid gzip: " + e.getMessage());
      }
    }
    if (body.length > limits.maxReportBytes()) {
      return refused("body", LIMIT_RULE, "is " + body.length + " bytes, more than " + limits.maxReportBytes());
    }
    return parseJson(body);
  }

  /** True when the bytes start like gzip (RFC 1952 §2.3.1), whatever the media type says. */
  public static boolean startsWithGzipMagic(byte[] body) {
    return body.length >= 2 && body[0] == GZIP_MAGIC[0] && body[1] == GZIP_MAGIC[1];
  }

  /** The decompressed bytes, reading at most one byte past the limit: a bomb is never inflated whole. */
  byte[] gunzip(InputStream compressed) throws IOException {
    try (InputStream in = new GZIPInputStream(compressed)) {
      byte[] out = in.readNBytes(limits.maxReportBytes() + 1);
      if (out.length > limits.maxReportBytes()) {
        throw new ReportTooLarge();
      }
      return out;
    }
  }

  private static final class ReportTooLarge extends ZipException {
    private static final long serialVersionUID = 1L;
  }

  private ParseResult<TlsReport> parseJson(byte[] body) {
    JsonNode root;
    try (JsonParser parser = json.createParser(body)) {
      try {
        root = json.readTree(parser);
        if (root != null && parser.nextToken() != null) {
          return refused(at(parser.currentTokenLocation()), SCHEMA, "there is more after the end of the report"
              + " (one report per body)");
        }
      } catch (StreamConstraintsException e) {
        return refused(at(Optional.ofNullable(e.getLocation()).orElse(parser.currentLocation())), LIMIT_RULE,
            "exceeds a limit: " + withoutJacksonName(e));
      } catch (JsonProcessingException e) {
        return refused(at(e.getLocation()), SCHEMA, "is not valid JSON: " + withoutJacksonName(e));
      }
    } catch (IOException e) {
      // Every parse error is a JsonProcessingException; reading a byte array has no other way to fail.
      throw new UncheckedIOException(e);
    }
    if (root == null) {
      return refused("body", SCHEMA, "is empty");
    }
    if (!root.isObject()) {
      return refused("body", SCHEMA, "the report must be a JSON object, not " + kind(root));
    }
    return new Walk(limits).report(root);
  }

  // Jackson's messages name its own getters ("from `StreamReadConstraints.getMaxNestingDepth()`"); keep the fact.
  private static String withoutJacksonName(JsonProcessingException e) {
    return e.getOriginalMessage().replaceAll(", from `[^`]*`", "").replaceAll("\\s*\\n.*", "");
  }

  private static String at(JsonLocation location) {
    return location == null || location.getLineNr() < 1
        ? "body"
        : "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  private static ParseResult<TlsReport> refused(String location, String rule, String message) {
    return new ParseResult<>(Optional.empty(), List.of(new Finding(Finding.Severity.ERROR, location, rule, message)));
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** One pass over a parsed JSON object: collects the findings, builds the report if none is an ERROR. */
  private static final class Walk {

    private final Limits limits;
    private final List<Finding> findings = new ArrayList<>();
    private int failureDetails;

    Walk(Limits limits) {
      this.limits = limits;
    }

    ParseResult<TlsReport> report(JsonNode root) {
      unknownFields(root, "", REPORT_FIELDS);
      Optional<String> organization = requiredText(root, "", "organization-name");
      Optional<String> reportId = requiredText(root, "", "report-id");
      Optional<String> contactInfo = optionalText(root, "", "contact-info");
      if (!root.has("contact-info")) {
        findings.add(new Finding(Finding.Severity.INFO, "contact-info", SCHEMA, "is missing"));
      }
      Optional<Period> period = dateRange(root);
      List<PolicyResult> policies = policies(root);
      boolean valid = findings.stream().noneMatch(Finding::isError);
      Optional<TlsReport> report = valid
          ? Optional.of(new TlsReport(organization.orElseThrow(), period.orElseThrow().start(),
              period.orElseThrow().end(), contactInfo, reportId.orElseThrow(), policies))
          : Optional.empty();
      return new ParseResult<>(report, findings);
    }

    private record Period(Instant start, Instant end) {
    }

    private Optional<Period> dateRange(JsonNode root) {
      Optional<JsonNode> range = requiredObject(root, "", "date-range");
      if (range.isEmpty()) {
        return Optional.empty();
      }
      unknownFields(range.get(), "date-range.", DATE_RANGE_FIELDS);
      Optional<Instant> start = dateTime(range.get(), "start-datetime");
      Optional<Instant> end = dateTime(range.get(), "end-datetime");
      if (start.isEmpty() || end.isEmpty()) {
        return Optional.empty();
      }
      if (!start.get().isBefore(end.get())) {
        error("date-range", RfcSection.RFC8460_4_1, "start-datetime " + start.get()
            + " is not before end-datetime " + end.get());
        return Optional.empty();
      }
      return Optional.of(new Period(start.get(), end.get()));
    }

    private Optional<Instant> dateTime(JsonNode range, String field) {
      String path = "date-range." + field;
      Optional<String> text = requiredText(range, "date-range.", field);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      try {
        TemporalAccessor parsed = DATE_TIME.parse(text.get());
        if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
          return Optional.of(OffsetDateTime.from(parsed).toInstant());
        }
        findings.add(new Finding(Finding.Severity.WARNING, path, SCHEMA, Finding.quote(text.get())
            + " has no UTC offset (RFC 3339 requires one, e.g. \"Z\"); read as UTC"));
        return Optional.of(LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC));
      } catch (DateTimeException e) {
        error(path, SCHEMA, Finding.quote(text.get()) + " is not an RFC 3339 date-time such as"
            + " \"2026-01-01T00:00:00Z\"");
        return Optional.empty();
      }
    }

    private List<PolicyResult> policies(JsonNode root) {
      Optional<JsonNode> array = requiredArray(root, "", "policies");
      if (array.isEmpty()) {
        return List.of();
      }
      if (array.get().size() > limits.maxPolicies()) {
        error("policies", LIMIT_RULE, "lists " + array.get().size() + " policies, more than the limit of "
            + limits.maxPolicies());
        return List.of();
      }
      if (array.get().isEmpty()) {
        findings.add(new Finding(Finding.Severity.WARNING, "policies", SCHEMA, "is empty: the report is about no"
            + " policy domain"));
      }
      List<PolicyResult> policies = new ArrayList<>();
      for (int i = 0; i < array.get().size(); i++) {
        policy(array.get().get(i), "policies[" + i + "]").ifPresent(policies::add);
      }
      return policies;
    }

    private Optional<PolicyResult> policy(JsonNode entry, String path) {
      if (!entry.isObject()) {
        error(path, SCHEMA, "must be an object, not " + kind(entry));
        return Optional.empty();
      }
      unknownFields(entry, path + ".", ENTRY_FIELDS);
      Optional<JsonNode> policy = requiredObject(entry, path + ".", "policy");
      String at = path + ".policy.";
      Optional<PolicyType> type = policy.flatMap(p -> policyType(p, at));
      Optional<String> domain = policy.flatMap(p -> requiredText(p, at, "policy-domain"))
          .map(d -> d.toLowerCase(Locale.ROOT));
      List<String> policyString = policy.map(p -> textList(p, at, "policy-string", false)).orElse(List.of());
      List<String> mxHosts = policy.map(p -> textList(p, at, "mx-host", true)).orElse(List.of());
      policy.ifPresent(p -> unknownFields(p, at, POLICY_FIELDS));

      Optional<JsonNode> summary = requiredObject(entry, path + ".", "summary");
      String summaryAt = path + ".summary.";
      summary.ifPresent(s -> unknownFields(s, summaryAt, SUMMARY_FIELDS));
      Optional<Long> successful = summary.flatMap(s -> count(s, summaryAt, "total-successful-session-count"));
      Optional<Long> failed = summary.flatMap(s -> count(s, summaryAt, "total-failure-session-count"));
      List<FailureDetail> details = failureDetails(entry, path);
      long detailed = details.stream().mapToLong(FailureDetail::failedSessionCount).sum();
      if (failed.isPresent() && detailed > failed.get()) {
        findings.add(new Finding(Finding.Severity.WARNING, path + ".failure-details", RfcSection.RFC8460_4_2,
            "count " + detailed + " failed sessions, more than total-failure-session-count " + failed.get()));
      }
      if (type.isEmpty() || domain.isEmpty() || successful.isEmpty() || failed.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new PolicyResult(type.get(), policyString, domain.get(), mxHosts, successful.get(),
          failed.get(), details));
    }

    private Optional<PolicyType> policyType(JsonNode policy, String at) {
      Optional<String> text = requiredText(policy, at, "policy-type");
      Optional<PolicyType> type = text.flatMap(t -> PolicyType.of(t.toLowerCase(Locale.ROOT)));
      if (text.isPresent() && type.isEmpty()) {
        error(at + "policy-type", SCHEMA, Finding.quote(text.get()) + " is not one of \"sts\", \"tlsa\","
            + " \"no-policy-found\"");
      }
      return type;
    }

    private List<FailureDetail> failureDetails(JsonNode entry, String path) {
      JsonNode array = entry.get("failure-details");
      String at = path + ".failure-details";
      if (array == null) {
        return List.of();
      }
      if (!array.isArray()) {
        error(at, SCHEMA, "must be an array, not " + kind(array));
        return List.of();
      }
      failureDetails += array.size();
      if (failureDetails > limits.maxFailureDetails()) {
        error(at, LIMIT_RULE, "brings the report to " + failureDetails + " failure-details, more than the limit"
            + " of " + limits.maxFailureDetails());
        return List.of();
      }
      List<FailureDetail> details = new ArrayList<>();
      for (int i = 0; i < array.size(); i++) {
        failureDetail(array.get(i), at + "[" + i + "]").ifPresent(details::add);
      }
      return details;
    }

    private Optional<FailureDetail> failureDetail(JsonNode detail, String path) {
      if (!detail.isObject()) {
        error(path, SCHEMA, "must be an object, not " + kind(detail));
        return Optional.empty();
      }
      String at = path + ".";
      unknownFields(detail, at, DETAIL_FIELDS);
      Optional<String> resultType = requiredText(detail, at, "result-type");
      resultType.filter(t -> !RESULT_TYPES.contains(t)).ifPresent(t -> findings.add(new Finding(
          Finding.Severity.WARNING, at + "result-type", RfcSection.RFC8460_4_3, Finding.quote(t)
          + " is not a result type of RFC 8460 §4.3; kept as it is")));
      Optional<Long> count = count(detail, at, "failed-session-count");
      Optional<String> sendingMtaIp = optionalText(detail, at, "sending-mta-ip");
      Optional<String> mxHostname = optionalText(detail, at, "receiving-mx-hostname");
      Optional<String> mxHelo = optionalText(detail, at, "receiving-mx-helo");
      Optional<String> receivingIp = optionalText(detail, at, "receiving-ip");
      Optional<String> additional = optionalText(detail, at, "additional-information");
      Optional<String> reasonCode = optionalText(detail, at, "failure-reason-code");
      if (resultType.isEmpty() || count.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new FailureDetail(resultType.get(), sendingMtaIp, mxHostname, mxHelo, receivingIp,
          count.get(), additional, reasonCode));
    }

    // RFC 8460 §4.4: the counts are integers encoded as JSON numbers; a negative count has no meaning.
    private Optional<Long> count(JsonNode object, String at, String field) {
      JsonNode value = object.get(field);
      if (value == null) {
        error(at + field, SCHEMA, "is missing");
        return Optional.empty();
      }
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
        error(at + field, RfcSection.RFC8460_4_2, "must be a non-negative integer, not "
            + (value.isNumber() ? value.asText() : kind(value)));
        return Optional.empty();
      }
      return Optional.of(value.longValue());
    }

    private Optional<String> requiredText(JsonNode object, String at, String field) {
      JsonNode value = object.get(field);
      if (value == null) {
        error(at + field, SCHEMA, "is missing");
        return Optional.empty();
      }
      if (!value.isTextual()) {
        error(at + field, SCHEMA, "must be a string, not " + kind(value));
        return Optional.empty();
      }
      if (value.textValue().isBlank()) {
        error(at + field, SCHEMA, "is empty");
        return Optional.empty();
      }
      return Optional.of(value.textValue());
    }

    // An optional field of the wrong type loses nothing the report needs: it is dropped with a warning.
    private Optional<String> optionalText(JsonNode object, String at, String field) {
      JsonNode value = object.get(field);
      if (value == null || value.isNull()) {
        return Optional.empty();
      }
      if (!value.isTextual()) {
        findings.add(new Finding(Finding.Severity.WARNING, at + field, SCHEMA, "must be a string, not "
            + kind(value) + "; ignored"));
        return Optional.empty();
      }
      return Optional.of(value.textValue());
    }

    /** An array of strings; with {@code stringToo} a single string as well (mx-host, erratum 6241). */
    private List<String> textList(JsonNode object, String at, String field, boolean stringToo) {
      JsonNode value = object.get(field);
      if (value == null || value.isNull()) {
        return List.of();
      }
      if (stringToo && value.isTextual()) {
        return List.of(value.textValue());
      }
      if (!value.isArray()) {
        findings.add(new Finding(Finding.Severity.WARNING, at + field, SCHEMA, "must be an array of strings"
            + (stringToo ? " or a string" : "") + ", not " + kind(value) + "; ignored"));
        return List.of();
      }
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        JsonNode element = value.get(i);
        if (element.isTextual()) {
          texts.add(element.textValue());
        } else {
          findings.add(new Finding(Finding.Severity.WARNING, at + field + "[" + i + "]", SCHEMA,
              "must be a string, not " + kind(element) + "; ignored"));
        }
      }
      return texts;
    }

    private Optional<JsonNode> requiredObject(JsonNode object, String at, String field) {
      return required(object, at, field, JsonNode::isObject, "an object");
    }

    private Optional<JsonNode> requiredArray(JsonNode object, String at, String field) {
      return required(object, at, field, JsonNode::isArray, "an array");
    }

    private Optional<JsonNode> required(JsonNode object, String at, String field,
        Predicate<JsonNode> isKind, String kindName) {
      JsonNode value = object.get(field);
      if (value == null) {
        error(at + field, SCHEMA, "is missing");
        return Optional.empty();
      }
      if (!isKind.test(value)) {
        error(at + field, SCHEMA, "must be " + kindName + ", not " + kind(value));
        return Optional.empty();
      }
      return Optional.of(value);
    }

    // Later revisions and vendors add fields; ignoring them is what lets old receivers read new reports.
    private void unknownFields(JsonNode object, String at, List<String> known) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        String name = it.next().getKey();
        if (!known.contains(name)) {
          findings.add(new Finding(Finding.Severity.INFO, at + name, SCHEMA, "unknown field, ignored"));
        }
      }
    }

    private void error(String location, String rule, String message) {
      findings.add(new Finding(Finding.Severity.ERROR, location, rule, message));
    }
  }
}
