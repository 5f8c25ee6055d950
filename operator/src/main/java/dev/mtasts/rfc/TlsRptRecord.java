package dev.mtasts.rfc;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/** The {@code _smtp._tls} TXT record of RFC 8460 §3: where to send TLS reports, and extension fields. */
public record TlsRptRecord(List<URI> rua, List<Extension> extensions) {

  static final String VERSION = "v=TLSRPTv1";

  public TlsRptRecord {
    rua = List.copyOf(rua);
    extensions = List.copyOf(extensions);
    if (rua.isEmpty()) {
      throw new IllegalArgumentException("rua needs at least one URI (RFC 8460 §3)");
    }
    for (URI uri : rua) {
      uriError(uri.toString()).ifPresent(e -> {
        throw new IllegalArgumentException(e + " (RFC 8460 §3)");
      });
      if (!isSupported(uri)) {
        throw new IllegalArgumentException("URI " + Finding.quote(uri.toString())
            + " is neither mailto: nor https: (RFC 8460 §3)");
      }
    }
    for (Extension e : extensions) {
      if (e.name().equals("v") || e.name().equals("rua")) {
        throw new IllegalArgumentException("extension " + Finding.quote(e.name())
            + " would repeat a registered field (RFC 8460 §3)");
      }
      Extension.txtValueError(e.name(), e.value()).ifPresent(p -> {
        throw new IllegalArgumentException(p + " (RFC 8460 §3)");
      });
    }
  }

  /** A record from URI strings, without extensions. */
  public static TlsRptRecord of(List<String> rua) {
    return new TlsRptRecord(rua.stream().map(URI::create).toList(), List.of());
  }

  /** The TXT value, e.g. {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.com/v1}. */
  public String render() {
    StringBuilder txt = new StringBuilder(VERSION).append("; rua=")
        .append(rua.stream().map(URI::toString).collect(Collectors.joining(",")));
    extensions.forEach(e -> txt.append("; ").append(e.name()).append('=').append(e.value()));
    return txt.toString();
  }

  /** Parses one TXT value (its strings already joined without spaces), reporting every problem. */
  public static ParseResult<TlsRptRecord> parse(String txt) {
    return TlsRptRecordParser.parse(txt);
  }

  /**
   * Applies RFC 8460 §3 to all TXT values at {@code _smtp._tls.<domain>}: values not beginning with
   * "v=TLSRPTv1;" are discarded, and unless exactly one remains senders assume no TLSRPT.
   */
  public static ParseResult<TlsRptRecord> parseAll(List<String> txtValues) {
    return TxtRecordSet.select(txtValues, VERSION, "a TLSRPT",
        "senders assume the domain does not implement TLSRPT", RfcSection.RFC8460_3, TlsRptRecordParser::parse);
  }

  /**
   * Whether a TXT value is meant as a TLSRPT record: after any leading whitespace it starts with "v=TLSRPT" in any
   * case (so also "v=tlsrptv1 rua=..."). These are the values parseAll reads or warns about; any other value is
   * unrelated.
   */
  public static boolean hasVersionTag(String txt) {
    return TxtRecordSet.looksLike(txt, VERSION);
  }

  /**
   * Why a string is not a usable rua URI, if it is not. RFC 8460 §3: tlsrpt-uri is an RFC 3986 URI in which
   * "," "!" and ";" MUST be percent-encoded; mailto needs an address and https a host.
   */
  public static Optional<String> uriError(String uri) {
    String quoted = Finding.quote(uri);
    for (char c : new char[] {'!', ',', ';'}) {
      if (uri.indexOf(c) >= 0) {
        return Optional.of("URI " + quoted + " contains \"" + c + "\", which must be percent-encoded as "
            + String.format("%%%02X", (int) c));
      }
    }
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (URISyntaxException e) {
      String reason = e.getReason();
      return Optional.of("URI " + quoted + " is not valid: " + Character.toLowerCase(reason.charAt(0))
          + reason.substring(1) + " at index " + e.getIndex());
    }
    if (!parsed.isAbsolute()) {
      return Optional.of(uri.indexOf('@') > 0
          ? "URI " + quoted + " has no scheme; write " + Finding.quote("mailto:" + uri)
          : "URI " + quoted + " has no scheme; rua takes mailto: and https: URIs");
    }
    String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("mailto")) {
      String address = parsed.getRawSchemeSpecificPart().split("\\?", 2)[0];
      int at = address.lastIndexOf('@');
      if (at <= 0 || at == address.length() - 1) {
        return Optional.of("mailto URI " + quoted + " has no address of the form local@domain");
      }
    }
    if (scheme.equals("https") && (parsed.getHost() == null || parsed.getHost().isEmpty())) {
      return Optional.of("https URI " + quoted + " has no host");
    }
    return Optional.empty();
  }

  /** RFC 8460 §3 defines reporting by mailto and https only; scheme names are case-insensitive (RFC 3986 §3.1). */
  public static boolean isSupported(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return scheme.equals("mailto") || scheme.equals("https");
  }
}
