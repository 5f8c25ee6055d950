package dev.mtasts.operator.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Properties;

/**
 * Reports as senders send them, for the intake tests: the fixtures of {@code src/test/resources/tlsrpt/good/}
 * with a report-id and a period of the test's choosing (so they fall in the status window and the retention of
 * whenever the test runs), and the mail a reporting MTA sends for one (RFC 8460 §5.3).
 */
final class IntakeReports {

  static final ObjectMapper JSON = new ObjectMapper();

  private IntakeReports() {}

  /** The fixture with its report-id replaced, covering the UTC day {@code day}, about {@code domain}. */
  static byte[] fixture(String name, String reportId, LocalDate day, String domain) {
    ObjectNode report = read(name);
    report.put("report-id", reportId);
    ObjectNode range = (ObjectNode) report.get("date-range");
    range.put("start-datetime", day.atStartOfDay(ZoneOffset.UTC).toInstant().toString());
    range.put("end-datetime", day.atStartOfDay(ZoneOffset.UTC).plusDays(1).minusSeconds(1).toInstant().toString());
    for (var policy : (ArrayNode) report.get("policies")) {
      ((ObjectNode) policy.get("policy")).put("policy-domain", domain);
    }
    return bytes(report);
  }

  /** google-like.json, re-dated and re-numbered: 1520 successful sessions, 3 certificate-expired at mx2. */
  static byte[] googleLike(String reportId, LocalDate day, String domain) {
    return fixture("google-like.json", reportId, day, domain);
  }

  /** minimal.json: no failure. */
  static byte[] clean(String reportId, LocalDate day, String domain) {
    return fixture("minimal.json", reportId, day, domain);
  }

  static LocalDate yesterday() {
    return LocalDate.now(ZoneOffset.UTC).minusDays(1);
  }

  static ObjectNode read(String name) {
    try (InputStream in = IntakeReports.class.getResourceAsStream("/tlsrpt/good/" + name)) {
      return (ObjectNode) JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(ObjectNode report) {
    try {
      return JSON.writeValueAsBytes(report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The mail a reporting MTA sends to a mailto: rua: multipart/report; report-type=tlsrpt with a text part and the
   * report as an application/tlsrpt+json part in base64, the subject naming the report-id (RFC 8460 §5.3).
   */
  static MimeMessage mail(byte[] report, String domain, String reportId) {
    String boundary = "----=_tlsrpt_" + Integer.toHexString(reportId.hashCode());
    String text = "From: TLS Reporting <tlsrpt-noreply@sender.example>\r\n"
        + "To: tlsrpt@reports.test\r\n"
        + "Date: Tue, 01 Dec 2026 00:30:00 +0000\r\n"
        + "Message-ID: <" + reportId + ".mail@sender.example>\r\n"
        + "Subject: " + subject(domain, reportId) + "\r\n"
        + "TLS-Report-Domain: " + domain + "\r\n"
        + "TLS-Report-Submitter: sender.example\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n boundary=\"" + boundary + "\"\r\n"
        + "\r\n"
        + "--" + boundary + "\r\n"
        + "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
        + "\r\n"
        + "This is an aggregate TLS report from sender.example for " + domain + ".\r\n"
        + "--" + boundary + "\r\n"
        + "Content-Type: application/tlsrpt+json\r\n"
        + "Content-Transfer-Encoding: base64\r\n"
        + "Content-Disposition: attachment;\r\n filename=\"sender.example!" + domain + "!1!2.json\"\r\n"
        + "\r\n"
        + Base64.getMimeEncoder().encodeToString(report) + "\r\n"
        + "--" + boundary + "--\r\n";
    try {
      return new MimeMessage(Session.getInstance(new Properties()),
          new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String subject(String domain, String reportId) {
    return "Report Domain: " + domain + " Submitter: sender.example Report-ID: <" + reportId + ">";
  }
}
