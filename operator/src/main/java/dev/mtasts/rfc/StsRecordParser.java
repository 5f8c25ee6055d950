package dev.mtasts.rfc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads one {@code _mta-sts} TXT value strictly against the RFC 8461 §3.1 ABNF. */
final class StsRecordParser {

  private static final String RULE = RfcSection.RFC8461_3_1;

  private StsRecordParser() {
  }

  static ParseResult<StsRecord> parse(String txt) {
    TxtFields.Result split = TxtFields.split(txt, StsRecord.VERSION, List.of("id"), RULE);
    List<Finding> findings = new ArrayList<>(split.findings());
    String id = null;
    for (TxtFields.Field field : split.fields()) {
      Optional<String> problem = StsRecord.idError(field.value());
      problem.ifPresent(p -> findings.add(Finding.error("field " + field.number(), RULE, p)));
      if (field.first() && problem.isEmpty()) {
        id = field.value();
      }
    }
    if (split.versionOk() && !split.seen().contains("id")) {
      findings.add(Finding.error("record", RULE, "required field \"id\" is missing"));
    }
    boolean valid = id != null && findings.stream().noneMatch(Finding::isError);
    Optional<StsRecord> record = valid ? Optional.of(new StsRecord(id, split.extensions())) : Optional.empty();
    return new ParseResult<>(record, findings);
  }
}
