package dev.mtasts.desired;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.ReportResult;
import dev.mtasts.api.v1alpha1.TlsRptReport;
import dev.mtasts.api.v1alpha1.TlsRptReportSpec;
import dev.mtasts.testing.TestPolicies;
import dev.mtasts.tlsrpt.FailureDetail;
import dev.mtasts.tlsrpt.PolicyResult;
import dev.mtasts.tlsrpt.PolicyType;
import dev.mtasts.tlsrpt.TlsReport;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PolicyReportTest {

  static final Instant RECEIVED = Instant.parse("2026-12-01T08:00:00Z");

  static MtaStsPolicy policy() {
    return TestPolicies.withUid(TestPolicies.enforce("example.com", "example.org"), "uid-1");
  }

  static FailureDetail failure(String resultType, String mx, long sessions) {
    return new FailureDetail(resultType, Optional.of("192.0.2.1"), Optional.ofNullable(mx), Optional.empty(),
        Optional.of("198.51.100.7"), sessions, Optional.empty(), Optional.empty());
  }

  static PolicyResult result(String domain, long successful, long failed, List<FailureDetail> details) {
    return new PolicyResult(PolicyType.STS, List.of("version: STSv1"), domain, List.of("mx1." + domain),
        successful, failed, details);
  }

  static TlsReport report(PolicyResult... policies) {
    return new TlsReport("Google Inc.", Instant.parse("2026-11-30T00:00:00Z"),
        Instant.parse("2026-11-30T23:59:59Z"), Optional.of("smtp-tls-reporting@google.com"),
        "2026-11-30T00:00:00Z_example.com", List.of(policies));
  }

  @Test
  void keepsThePartAboutThePolicysDomainsOwnedByThePolicy() {
    TlsReport report = report(
        result("example.com", 900, 4, List.of(failure("certificate-expired", "MX1.example.com", 3))),
        result("other.example", 50, 50, List.of()));

    TlsRptReport stored = PolicyReport.desired(policy(), report, List.of("example.com"), "https", RECEIVED);
    TlsRptReportSpec spec = stored.getSpec();

    assertThat(stored.getMetadata().getNamespace()).isEqualTo(policy().getMetadata().getNamespace());
    assertThat(stored.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-1"));
    assertThat(stored.getMetadata().getLabels()).containsEntry(TlsRptReport.POLICY_LABEL,
        policy().getMetadata().getName());
    assertThat(spec.getDomains()).containsExactly("example.com");
    assertThat(spec.getSuccessfulSessions()).isEqualTo(900);
    assertThat(spec.getFailedSessions()).isEqualTo(4);
    assertThat(spec.getResults()).containsExactly(
        new ReportResult("example.com", "sts", "mx1.example.com", "certificate-expired", 3),
        new ReportResult("example.com", "sts", "", "unspecified", 1));
    assertThat(spec.getFailureDetails()).singleElement()
        .satisfies(d -> assertThat(d.getReceivingIp()).isEqualTo("198.51.100.7"));
    assertThat(spec.getReceivedAt()).isEqualTo("2026-12-01T08:00:00Z");
    assertThat(spec.getStartDatetime()).isEqualTo("2026-11-30T00:00:00Z");
    assertThat(spec.getTruncated()).isNull();
  }

  @Test
  void theSameSenderAndReportIdGiveTheSameNameAndAnotherSenderAnother() {
    TlsReport report = report(result("example.com", 1, 0, List.of()));
    String name = PolicyReport.desired(policy(), report, List.of("example.com"), "mail", RECEIVED)
        .getMetadata().getName();

    assertThat(name).isEqualTo(PolicyReport.desired(policy(), report, List.of("example.com"), "https",
        RECEIVED.plusSeconds(5)).getMetadata().getName());
    assertThat(name).startsWith(policy().getMetadata().getName() + "-").hasSize(
        policy().getMetadata().getName().length() + 17);
    TlsReport other = new TlsReport("Microsoft", report.startDatetime(), report.endDatetime(), Optional.empty(),
        report.reportId(), report.policies());
    assertThat(PolicyReport.desired(policy(), other, List.of("example.com"), "https", RECEIVED).getMetadata()
        .getName()).isNotEqualTo(name);
  }

  @Test
  void aReportWithManyKindsOfFailureIsBoundedAndStillAddsUp() {
    List<FailureDetail> details = IntStream.range(0, 80)
        .mapToObj(i -> failure("validation-failure", "mx" + i + ".example.com", 2)).toList();

    TlsRptReportSpec spec = PolicyReport.desired(policy(), report(result("example.com", 0, 160, details)),
        List.of("example.com"), "https", RECEIVED).getSpec();

    assertThat(spec.getResults()).hasSize(TlsRptReportSpec.MAX_RESULTS);
    assertThat(spec.getResults().get(TlsRptReportSpec.MAX_RESULTS - 1).getResultType()).isEqualTo("other");
    assertThat(spec.getResults().stream().mapToLong(ReportResult::getSessions).sum()).isEqualTo(160);
    assertThat(spec.getFailureDetails()).hasSize(TlsRptReportSpec.MAX_FAILURE_DETAILS);
    assertThat(spec.getTruncated()).isTrue();
  }

  @Test
  void freeTextIsCut() {
    FailureDetail chatty = new FailureDetail("validation-failure", Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), 1, Optional.of("x".repeat(5000)), Optional.empty());

    TlsRptReportSpec spec = PolicyReport.desired(policy(), report(result("example.com", 0, 1, List.of(chatty))),
        List.of("example.com"), "https", RECEIVED).getSpec();

    assertThat(spec.getFailureDetails().get(0).getAdditionalInformation()).hasSize(TlsRptReportSpec.MAX_TEXT);
  }

  /** 50 results of 64 KiB names each (the parser's string limit) would be a 6 MB object, more than etcd takes. */
  @Test
  void mxNamesAndResultTypesOfTheResultsAreCutToo() {
    FailureDetail huge = failure("t".repeat(60_000), "M".repeat(60_000) + ".example.com", 1);

    TlsRptReportSpec spec = PolicyReport.desired(policy(), report(result("example.com", 0, 1, List.of(huge))),
        List.of("example.com"), "https", RECEIVED).getSpec();

    assertThat(spec.getResults()).singleElement().satisfies(r -> {
      assertThat(r.getMx()).isEqualTo("m".repeat(TlsRptReportSpec.MAX_TEXT));
      assertThat(r.getResultType()).hasSize(TlsRptReportSpec.MAX_TEXT);
    });
  }

  @Test
  void everyFieldOfTheReportAndItsDetailsIsKept() {
    FailureDetail detail = new FailureDetail("certificate-expired", Optional.of("192.0.2.1"),
        Optional.of("mx1.example.com"), Optional.of("mx1-helo.example.com"), Optional.of("198.51.100.7"), 3,
        Optional.of("see https://example.net/why"), Optional.of("X509_V_ERR_CERT_HAS_EXPIRED"));

    TlsRptReport stored = PolicyReport.desired(policy(), report(result("example.com", 10, 3, List.of(detail))),
        List.of("example.com"), "mail", RECEIVED);
    TlsRptReportSpec spec = stored.getSpec();

    assertThat(spec.getPolicy()).isEqualTo(policy().getMetadata().getName());
    assertThat(spec.getOrganization()).isEqualTo("Google Inc.");
    assertThat(spec.getReportId()).isEqualTo("2026-11-30T00:00:00Z_example.com");
    assertThat(spec.getContactInfo()).isEqualTo("smtp-tls-reporting@google.com");
    assertThat(spec.getEndDatetime()).isEqualTo("2026-11-30T23:59:59Z");
    assertThat(spec.getChannel()).isEqualTo("mail");
    assertThat(spec.getFailureDetails()).singleElement().satisfies(d -> {
      assertThat(d.getResultType()).isEqualTo("certificate-expired");
      assertThat(d.getSendingMtaIp()).isEqualTo("192.0.2.1");
      assertThat(d.getReceivingMxHostname()).isEqualTo("mx1.example.com");
      assertThat(d.getFailedSessions()).isEqualTo(3);
      assertThat(d.getFailureReasonCode()).isEqualTo("X509_V_ERR_CERT_HAS_EXPIRED");
      assertThat(d.getAdditionalInformation()).isEqualTo("see https://example.net/why");
    });
  }

  @Test
  void aReportThatFillsTheBoundsExactlyIsNotTruncated() {
    List<FailureDetail> results = IntStream.range(0, TlsRptReportSpec.MAX_RESULTS)
        .mapToObj(i -> failure("validation-failure", "mx" + i + ".example.com", 1)).toList();

    TlsRptReportSpec spec = PolicyReport.desired(policy(),
        report(result("example.com", 0, results.size(), results)), List.of("example.com"), "https", RECEIVED)
        .getSpec();

    assertThat(spec.getResults()).hasSize(TlsRptReportSpec.MAX_RESULTS)
        .noneMatch(r -> r.getResultType().equals("other"));
    assertThat(spec.getTruncated()).as("%d results and %d details", TlsRptReportSpec.MAX_RESULTS,
        TlsRptReportSpec.MAX_RESULTS).isTrue();

    List<FailureDetail> fewer = results.subList(0, TlsRptReportSpec.MAX_FAILURE_DETAILS);
    TlsRptReportSpec exact = PolicyReport.desired(policy(), report(result("example.com", 0, fewer.size(), fewer)),
        List.of("example.com"), "https", RECEIVED).getSpec();
    assertThat(exact.getFailureDetails()).hasSize(TlsRptReportSpec.MAX_FAILURE_DETAILS);
    assertThat(exact.getTruncated()).as("exactly the bounds").isNull();

    // As many policy domains as results allowed, each with failures but no details: one "unspecified" each.
    List<String> domains = IntStream.range(0, TlsRptReportSpec.MAX_RESULTS).mapToObj(i -> "d" + i + ".example")
        .toList();
    TlsRptReportSpec undetailed = PolicyReport.desired(policy(), report(domains.stream()
        .map(d -> result(d, 0, 1, List.of())).toArray(PolicyResult[]::new)), domains, "https", RECEIVED).getSpec();
    assertThat(undetailed.getResults()).hasSize(TlsRptReportSpec.MAX_RESULTS);
    assertThat(undetailed.getTruncated()).isNull();
  }
}
