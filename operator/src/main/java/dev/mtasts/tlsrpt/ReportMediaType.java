package dev.mtasts.tlsrpt;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The two media types a report travels in (RFC 8460 §5.3, §6.4). */
public enum ReportMediaType {
  JSON("application/tlsrpt+json"),
  GZIP("application/tlsrpt+gzip");

  private final String value;

  ReportMediaType(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  /** The media type of a Content-Type header value, parameters and case ignored. */
  public static Optional<ReportMediaType> ofContentType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String bare = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(t -> t.value.equals(bare)).findFirst();
  }
}
