package dev.mtasts.operator.status;

import dev.mtasts.check.PublishedRecordsLookup.DomainAnswer;
import dev.mtasts.check.PublishedRecordsLookup.ServerAnswer;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.publication.PublishedPolicy;
import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.rfc.StsRecord;
import dev.mtasts.rfc.TlsRptRecord;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether DNS answers a domain's records as published: every server asked must give exactly one record that
 * senders accept (RFC 8461 §3.1, RFC 8460 §3; read with our strict parsers) and it must be ours, byte for byte.
 *
 * @param current every server answers the published records
 * @param shown the server whose answer is shown: the first that differs, else the first
 * @param servers every server asked
 * @param problem what differs, for the condition message (empty when current)
 */
record DnsVerdict(boolean current, Optional<ServerAnswer> shown, List<String> servers, Optional<String> problem) {

  static DnsVerdict of(DomainAnswer answer, PublishedPolicy published) {
    List<String> servers = answer.servers().stream().map(ServerAnswer::server).toList();
    if (answer.failure().isPresent()) {
      return new DnsVerdict(false, Optional.empty(), servers, Optional.of(answer.domain() + ": "
          + answer.failure().get()));
    }
    if (answer.servers().isEmpty()) {
      return new DnsVerdict(false, Optional.empty(), servers, Optional.of(answer.domain() + ": no server to ask"));
    }
    for (ServerAnswer server : answer.servers()) {
      Optional<String> problem = problem(server, answer.domain(), published);
      if (problem.isPresent()) {
        return new DnsVerdict(false, Optional.of(server), servers, problem);
      }
    }
    return new DnsVerdict(true, Optional.of(answer.servers().get(0)), servers, Optional.empty());
  }

  private static Optional<String> problem(ServerAnswer server, String domain, PublishedPolicy published) {
    String stsName = ObjectNames.stsRecordName(domain);
    if (server.failure().isPresent()) {
      return Optional.of(server.server() + " did not answer: " + server.failure().get());
    }
    Optional<String> sts = mismatch(server.stsRecords(), published.stsRecord(), StsRecord.parseAll(server.stsRecords()));
    if (sts.isPresent()) {
      return Optional.of(stsName + " answers " + sts.get() + " at " + server.server() + "; want id="
          + published.policyId());
    }
    Optional<String> tlsRpt = published.content().tlsRptFor(domain).map(TlsRptRecord::render);
    if (tlsRpt.isPresent()) {
      Optional<String> rpt = mismatch(server.tlsRptRecords(), tlsRpt.get(),
          TlsRptRecord.parseAll(server.tlsRptRecords()));
      if (rpt.isPresent()) {
        return Optional.of(ObjectNames.tlsRptRecordName(domain) + " answers " + rpt.get() + " at "
            + server.server() + "; want \"" + tlsRpt.get() + "\"");
      }
    }
    return Optional.empty();
  }

  /** "no TXT record", or the values with the parser's first error, or the other value; empty when it is ours. */
  private static Optional<String> mismatch(List<String> values, String want, ParseResult<?> parsed) {
    if (values.isEmpty()) {
      return Optional.of("no TXT record");
    }
    String shown = values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(", "));
    if (!parsed.isValid()) {
      String why = parsed.errors().stream().findFirst().map(Finding::message).orElse("not valid");
      return Optional.of(shown + " (" + why + ")");
    }
    // Valid means exactly one record of this kind; it must be the published one.
    boolean ours = values.stream().anyMatch(want::equals);
    return ours ? Optional.empty() : Optional.of(shown);
  }
}
