package dev.mtasts.rfc;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads one {@code _smtp._tls} TXT value strictly against the RFC 8460 §3 ABNF. */
final class TlsRptRecordParser {

  private static final String RULE = RfcSection.RFC8460_3;

  private TlsRptRecordParser() {
  }

  static ParseResult<TlsRptRecord> parse(String txt) {
    TxtFields.Result split = TxtFields.split(txt, TlsRptRecord.VERSION, List.of("rua"), RULE);
    List<Finding> findings = new ArrayList<>(split.findings());
    List<URI> rua = null;
    for (TxtFields.Field field : split.fields()) {
      List<URI> uris = uris(field, findings);
      if (field.first()) {
        rua = uris;
      }
    }
    if (split.versionOk() && !split.seen().contains("rua")) {
      findings.add(Finding.error("record", RULE, "required field \"rua\" is missing"));
    }
    boolean valid = rua != null && findings.stream().noneMatch(Finding::isError);
    Optional<TlsRptRecord> record = valid ? Optional.of(new TlsRptRecord(rua, split.extensions())) : Optional.empty();
    return new ParseResult<>(record, findings);
  }

  // tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
  private static List<URI> uris(TxtFields.Field field, List<Finding> findings) {
    String where = "field " + field.number();
    if (field.value().isEmpty()) {
      findings.add(Finding.error(where, RULE, "rua has no URI"));
      return List.of();
    }
    List<URI> usable = new ArrayList<>();
    boolean syntaxOk = true;
    String[] parts = field.value().split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      String uri = parts[i].strip();
      if (uri.isEmpty()) {
        findings.add(Finding.error(where, RULE, emptyUri(i, parts.length)));
        syntaxOk = false;
        continue;
      }
      Optional<String> problem = TlsRptRecord.uriError(uri);
      if (problem.isPresent()) {
        findings.add(Finding.error(where, RULE, problem.get()));
        syntaxOk = false;
        continue;
      }
      URI parsed = URI.create(uri);
      if (TlsRptRecord.isSupported(parsed)) {
        usable.add(parsed);
      } else {
        // A syntactically valid URI of another scheme is legal, but no sender will deliver reports to it.
        findings.add(Finding.warning(where, RULE, "URI " + Finding.quote(uri) + " uses scheme "
            + Finding.quote(parsed.getScheme()) + "; only mailto: and https: are defined, so senders ignore it"));
      }
    }
    if (syntaxOk && usable.isEmpty()) {
      findings.add(Finding.error(where, RULE, "rua has no mailto: or https: URI"));
    }
    return usable;
  }

  private static String emptyUri(int index, int count) {
    if (index == 0) {
      return "rua starts with \",\"; there is no URI before it";
    }
    return index == count - 1
        ? "rua ends with \",\"; there is no URI after it"
        : "empty URI between two commas (\",,\") in rua";
  }
}
