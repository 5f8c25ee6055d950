package dev.mtasts.cli;

import dev.mtasts.rfc.StsRecord;
import dev.mtasts.rfc.TlsRptRecord;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Parses TXT record values; several arguments are several records at one name. */
@Command(
    name = "record",
    mixinStandardHelpOptions = true,
    description = {
        "Check the TXT records at one name: _mta-sts.<domain> (v=STSv1, RFC 8461 §3.1) or _smtp._tls.<domain>"
            + " (v=TLSRPTv1, RFC 8460 §3). Give each record as one argument, its strings already joined;"
            + " several arguments are several records at that name, so the multiple-record rules apply.",
        "The kind is taken from the first record's version unless --type says otherwise."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the records are valid (warnings allowed)", "1:invalid", "2:usage error"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator lint record 'v=STSv1; id=20260101000000'",
        "  mta-sts-operator lint record 'v=STSv1; id=1' 'v=STSv1; id=2'      # two records: senders see no policy",
        "  mta-sts-operator lint record --type tlsrpt 'v=TLSRPTv1; rua=mailto:tlsrpt@example.com'"})
final class LintRecordCommand implements Callable<Integer> {

  /** Which record the values are. */
  enum RecordType { AUTO, STS, TLSRPT }

  @Parameters(paramLabel = "TEXT", arity = "1..*", description = "TXT record values, one per record.")
  List<String> records;

  @Option(names = "--type", paramLabel = "TYPE", defaultValue = "auto",
      description = "sts, tlsrpt, or auto (from the first record's v= tag; default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--json", description = "Print the findings as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RecordType kind = switch (type.toLowerCase(Locale.ROOT)) {
      case "sts" -> RecordType.STS;
      case "tlsrpt" -> RecordType.TLSRPT;
      case "auto" -> records.get(0).stripLeading().startsWith("v=TLSRPTv1") ? RecordType.TLSRPT : RecordType.STS;
      default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
          "--type: '" + type + "' is not one of sts, tlsrpt, auto");
    };
    var findings = kind == RecordType.TLSRPT
        ? TlsRptRecord.parseAll(records).findings()
        : StsRecord.parseAll(records).findings();
    String source = kind == RecordType.TLSRPT ? "_smtp._tls" : "_mta-sts";
    return FindingReport.print(List.of(new FindingReport.Checked(source, findings)), json,
        spec.commandLine().getOut());
  }
}
