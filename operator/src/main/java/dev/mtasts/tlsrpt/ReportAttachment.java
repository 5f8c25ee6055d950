package dev.mtasts.tlsrpt;

import java.util.Objects;

/** A report body as it came, with its media type (gzip still compressed). */
public record ReportAttachment(byte[] body, ReportMediaType mediaType, String filename) {

  public ReportAttachment {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(filename, "filename");
  }
}
