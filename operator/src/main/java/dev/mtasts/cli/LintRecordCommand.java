package dev.mtasts.cli;

import dev.mtasts.rfc.StsRecord;
import dev.mtasts.rfc.TlsRptRecord;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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
        "Which name is meant is told by the records themselves: the kind whose version tag (v=STS..., v=TLSRPT...)"
            + " starts some of them, whatever their order; other records (v=spf1 ...) are unrelated ones at the"
            + " same name. If both kinds or neither appear, --type must say which."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the records are valid (warnings allowed)", "1:invalid",
        "2:usage error, including records of both kinds or neither without --type"},
    footerHeading = "%nExamples:%n",
    footer = {
        "  mta-sts-operator lint record 'v=STSv1; id=20260101000000'",
        "  mta-sts-operator lint record 'v=STSv1; id=1' 'v=STSv1; id=2'  # no policy",
        "  mta-sts-operator lint record 'v=spf1 -all' 'v=STSv1; id=20260101000000'",
        "  mta-sts-operator lint record --type tlsrpt 'v=spf1 -all'  # no TLSRPT record"})
final class LintRecordCommand implements Callable<Integer> {

  /** Which record the values are, and the name it is published at. */
  enum RecordType {
    STS("_mta-sts", StsRecord::hasVersionTag),
    TLSRPT("_smtp._tls", TlsRptRecord::hasVersionTag);

    final String name;
    final Predicate<String> tagged;

    RecordType(String name, Predicate<String> tagged) {
      this.name = name;
      this.tagged = tagged;
    }
  }

  @Parameters(paramLabel = "TEXT", arity = "1..*", description = "TXT record values, one per record.")
  List<String> records;

  @Option(names = "--type", paramLabel = "TYPE", defaultValue = "auto",
      description = "sts (_mta-sts), tlsrpt (_smtp._tls), or auto: the one kind whose version tag appears"
          + " (default: ${DEFAULT-VALUE}).")
  String type;

  @Option(names = "--json", description = "Print the findings as JSON.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    RecordType kind = switch (type.toLowerCase(Locale.ROOT)) {
      case "sts" -> RecordType.STS;
      case "tlsrpt" -> RecordType.TLSRPT;
      case "auto" -> fromRecords();
      default -> throw new ParameterException(spec.commandLine(),
          "--type: '" + type + "' is not one of sts, tlsrpt, auto");
    };
    var findings = kind == RecordType.TLSRPT
        ? TlsRptRecord.parseAll(records).findings()
        : StsRecord.parseAll(records).findings();
    return FindingReport.print(List.of(new FindingReport.Checked(kind.name, findings)), json,
        spec.commandLine().getOut());
  }

  // All records decide, not the first: an unrelated record listed first must not change the verdict.
  private RecordType fromRecords() {
    List<RecordType> seen = Stream.of(RecordType.values())
        .filter(kind -> records.stream().anyMatch(kind.tagged)).toList();
    if (seen.size() == 1) {
      return seen.get(0);
    }
    String why = seen.isEmpty()
        ? "no record starts with v=STSv1 or v=TLSRPTv1"
        : which(RecordType.STS) + " v=STSv1 (_mta-sts) and " + which(RecordType.TLSRPT)
            + " v=TLSRPTv1 (_smtp._tls), which live at different names";
    throw new ParameterException(spec.commandLine(), "cannot tell which record these are: " + why
        + "; give --type sts or --type tlsrpt");
  }

  /** "record 1 starts with" or "records 1, 3 start with". */
  private String which(RecordType kind) {
    List<String> numbers = IntStream.range(0, records.size()).filter(i -> kind.tagged.test(records.get(i)))
        .mapToObj(i -> Integer.toString(i + 1)).toList();
    return numbers.size() == 1
        ? "record " + numbers.get(0) + " starts with"
        : "records " + String.join(", ", numbers) + " start with";
  }
}
