package dev.mtasts.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.rfc.ParseResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportMessageTest {

  @Test
  void theGzipPartOfAReportMailIsTheReport() {
    byte[] mail = ReportParserTest.fixture("good/google-like.eml");

    ParseResult<List<ReportAttachment>> parts = ReportMessage.attachments(new ByteArrayInputStream(mail));

    assertThat(parts.findings()).isEmpty();
    ReportAttachment part = parts.value().orElseThrow().get(0);
    assertThat(parts.value().get()).hasSize(1);
    assertThat(part.mediaType()).isEqualTo(ReportMediaType.GZIP);
    assertThat(part.filename()).isEqualTo("google.com!example.com!1795132800!1795219199.json.gz");
    assertThat(part.body()).isEqualTo(ReportParserTest.fixture("good/google-like.json.gz"));
  }

  @Test
  void aJsonPartWithoutAFilenameIsNamedByItsPlace() {
    String json = new String(ReportParserTest.fixture("good/tlsa.json"), StandardCharsets.UTF_8);

    ParseResult<List<ReportAttachment>> parts = attachments(mail("tlsrpt",
        part("text/plain", "7bit", "a report"),
        part("application/tlsrpt+json", "7bit", json)));

    ReportAttachment part = parts.value().orElseThrow().get(0);
    assertThat(part.mediaType()).isEqualTo(ReportMediaType.JSON);
    assertThat(part.filename()).isEqualTo("part 2");
    assertThat(new ReportParser().parse(part.body(), part.mediaType()).isValid()).isTrue();
  }

  @Test
  void aMailOfAnotherReportTypeIsRefused() {
    ParseResult<List<ReportAttachment>> parts = attachments(mail("feedback-report", part("text/plain", "7bit", "x")));

    assertThat(ReportParserTest.lines(parts.findings())).containsExactly("ERROR Content-Type: the message is"
        + " \"multipart/report; report-type=feedback-report\", not multipart/report; report-type=tlsrpt"
        + " (RFC 8460 §5.3)");
    assertThat(parts.value()).isEmpty();
  }

  @Test
  void aPlainMailIsRefused() {
    ParseResult<List<ReportAttachment>> parts = attachments("From: a@example.com\r\nContent-Type: text/plain\r\n"
        + "\r\nhello\r\n");

    assertThat(ReportParserTest.lines(parts.findings())).containsExactly("ERROR Content-Type: the message is"
        + " \"text/plain\", not multipart/report; report-type=tlsrpt (RFC 8460 §5.3)");
  }

  @Test
  void aReportMailWithoutAReportPartIsRefused() {
    ParseResult<List<ReportAttachment>> parts = attachments(mail("tlsrpt", part("text/plain", "7bit", "nothing")));

    assertThat(ReportParserTest.lines(parts.findings())).containsExactly("ERROR multipart/report: the report has"
        + " no part of type application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460 §5.3)");
  }

  @Test
  void aPartOverTheSizeLimitIsRefused() {
    String big = Base64.getMimeEncoder().encodeToString(new byte[ReportMessage.MAX_PART_BYTES + 1]);
    String justRight = Base64.getMimeEncoder().encodeToString(new byte[ReportMessage.MAX_PART_BYTES]);

    ParseResult<List<ReportAttachment>> over = attachments(mail("tlsrpt",
        part("application/tlsrpt+gzip", "base64", big)));
    ParseResult<List<ReportAttachment>> at = attachments(mail("tlsrpt",
        part("application/tlsrpt+gzip", "base64", justRight)));

    assertThat(ReportParserTest.lines(over.findings())).containsExactly("ERROR message: the message cannot be read"
        + " as MIME: a report part is larger than 1048576 bytes (RFC 8460 §5.3)");
    assertThat(at.value().orElseThrow().get(0).body()).hasSize(ReportMessage.MAX_PART_BYTES);
  }

  @Test
  void aMultipartReportThatIsNotMultipartIsRefused() {
    ParseResult<List<ReportAttachment>> parts = attachments("From: a@example.com\r\nContent-Type: multipart/report;"
        + " report-type=tlsrpt\r\n\r\nno boundary\r\n");

    assertThat(parts.value()).isEmpty();
    assertThat(parts.findings()).singleElement().satisfies(f -> {
      assertThat(f.location()).isEqualTo("message");
      assertThat(f.message()).startsWith("the message cannot be read as MIME: ");
    });
  }

  private static ParseResult<List<ReportAttachment>> attachments(String mail) {
    return ReportMessage.attachments(new ByteArrayInputStream(mail.getBytes(StandardCharsets.UTF_8)));
  }

  private static String mail(String reportType, String... parts) {
    return "From: tlsrpt@sender.example\r\nTo: tlsrpt@example.com\r\nSubject: Report Domain: example.com\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=" + reportType + "; boundary=\"b\"\r\n"
        + "\r\n" + String.join("", parts) + "--b--\r\n";
  }

  private static String part(String type, String encoding, String body) {
    return "--b\r\nContent-Type: " + type + "\r\nContent-Transfer-Encoding: " + encoding + "\r\n\r\n" + body
        + "\r\n";
  }
}
