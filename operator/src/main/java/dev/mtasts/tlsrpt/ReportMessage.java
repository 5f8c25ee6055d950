package dev.mtasts.tlsrpt;

import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.rfc.RfcSection;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The report parts of a report sent as mail (RFC 8460 §5.3): a {@code multipart/report} with
 * {@code report-type=tlsrpt} whose parts of type {@code application/tlsrpt+gzip} or {@code +json} are reports.
 */
public final class ReportMessage {

  /** A message bigger than this is not read: reports are kilobytes, and a mailbox is open to anyone. */
  public static final int MAX_PART_BYTES = 1 << 20;

  private static final Session SESSION = Session.getInstance(new Properties());

  private ReportMessage() {
  }

  /** The reports in a message as it is stored (RFC 5322 with MIME), or why none can be read. */
  public static ParseResult<List<ReportAttachment>> attachments(InputStream rfc822) {
    try {
      return attachments(new MimeMessage(SESSION, rfc822));
    } catch (MessagingException e) {
      return refused("message", "is not a MIME message: " + e.getMessage());
    }
  }

  /** The reports of a message read from a mailbox. */
  public static ParseResult<List<ReportAttachment>> attachments(MimeMessage message) {
    try {
      ContentType type = new ContentType(message.getContentType());
      if (!type.match("multipart/report") || !"tlsrpt".equalsIgnoreCase(type.getParameter("report-type"))) {
        return refused("Content-Type", "the message is " + Finding.quote(type.getBaseType()
            + Optional.ofNullable(type.getParameter("report-type")).map(t -> "; report-type=" + t).orElse(""))
            + ", not multipart/report; report-type=tlsrpt");
      }
      List<ReportAttachment> reports = new ArrayList<>();
      Multipart parts = (Multipart) message.getContent();
      for (int i = 0; i < parts.getCount(); i++) {
        BodyPart part = parts.getBodyPart(i);
        Optional<ReportMediaType> mediaType = ReportMediaType.ofContentType(part.getContentType());
        if (mediaType.isPresent()) {
          reports.add(new ReportAttachment(read(part), mediaType.get(),
              Optional.ofNullable(part.getFileName()).orElse("part " + (i + 1))));
        }
      }
      if (reports.isEmpty()) {
        return refused("multipart/report", "the report has no part of type application/tlsrpt+gzip or application/tlsrpt+json");
      }
      return new ParseResult<>(Optional.of(reports), List.of());
    } catch (MessagingException | IOException | ClassCastException e) {
      return refused("message", "the message cannot be read as MIME: " + e.getMessage());
    }
  }

  // The transfer encoding (base64, usually) is undone here; gzip stays for the parser and its limits.
  private static byte[] read(Part part) throws MessagingException, IOException {
    try (InputStream in = part.getInputStream()) {
      byte[] body = in.readNBytes(MAX_PART_BYTES + 1);
      if (body.length > MAX_PART_BYTES) {
        throw new IOException("a report part is larger than " + MAX_PART_BYTES + " bytes");
      }
      return body;
    }
  }

  private static ParseResult<List<ReportAttachment>> refused(String location, String message) {
    return new ParseResult<>(Optional.empty(),
        List.of(new Finding(Finding.Severity.ERROR, location, RfcSection.RFC8460_5_3, message)));
  }
}
