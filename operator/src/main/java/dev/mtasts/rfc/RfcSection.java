package dev.mtasts.rfc;

/** The RFC sections a {@link Finding#rule()} cites, spelled once so rfc/ and check/ cite them alike. */
public final class RfcSection {

  /** The {@code _mta-sts} TXT record. */
  public static final String RFC8461_3_1 = "RFC 8461 §3.1";
  /** The policy file. */
  public static final String RFC8461_3_2 = "RFC 8461 §3.2";
  /** Fetching the policy over HTTPS. */
  public static final String RFC8461_3_3 = "RFC 8461 §3.3";
  /** Matching MX hosts against the policy's mx patterns. */
  public static final String RFC8461_4_1 = "RFC 8461 §4.1";
  /** Validating the MX host's STARTTLS certificate. */
  public static final String RFC8461_4_2 = "RFC 8461 §4.2";
  /** Applying the policy: what each mode does. */
  public static final String RFC8461_5 = "RFC 8461 §5";
  /** Weak policy constraints: mx patterns broad enough to cover hosts the domain does not run. */
  public static final String RFC8461_10_4 = "RFC 8461 §10.4";
  /** The {@code _smtp._tls} TLSRPT TXT record. */
  public static final String RFC8460_3 = "RFC 8460 §3";
  /** The report format. */
  public static final String RFC8460_4 = "RFC 8460 §4";
  /** The period a report covers (date-range). */
  public static final String RFC8460_4_1 = "RFC 8460 §4.1";
  /** The session counts of a report's summary. */
  public static final String RFC8460_4_2 = "RFC 8460 §4.2";
  /** The result types of failure-details. */
  public static final String RFC8460_4_3 = "RFC 8460 §4.3";
  /** The JSON report schema: which fields, of which JSON types. */
  public static final String RFC8460_4_4 = "RFC 8460 §4.4";
  /** Reports compressed with gzip (application/tlsrpt+gzip). */
  public static final String RFC8460_5_2 = "RFC 8460 §5.2";
  /** Reports sent as mail: multipart/report with report-type=tlsrpt. */
  public static final String RFC8460_5_3 = "RFC 8460 §5.3";

  private RfcSection() {
  }
}
