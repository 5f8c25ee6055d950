package dev.mtasts.dnsupdate;

/**
 * A DNS server did not do what {@link TxtRecordWriter} asked, or gave no answer. The message names the server,
 * the zone or name, the TSIG key (never its secret), what the server answered and what to check, in that order:
 * it is meant for a condition message or an event as it is.
 */
public final class DnsUpdateException extends RuntimeException {

  /** What kind of failure it is, for a caller that maps failures to condition reasons or retry decisions. */
  public enum Kind {
    /** No answer in time, or no connection: the server may be down or unreachable; retrying can help. */
    NO_ANSWER,
    /** The server rejected the TSIG key or its signature (BADSIG, BADKEY, BADTIME), or its answer's signature. */
    KEY_NOT_ACCEPTED,
    /** The server refused: its ACL does not allow this key or host, or (PowerDNS) the key does not match. */
    REFUSED,
    /** The server is not the primary of the zone, the name is outside it, or it is an alias (CNAME). */
    NOT_AUTHORITATIVE,
    /** The server failed or does not take updates (SERVFAIL, NOTIMP and other answers). */
    SERVER_FAILURE
  }

  private final Kind kind;

  DnsUpdateException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  DnsUpdateException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
