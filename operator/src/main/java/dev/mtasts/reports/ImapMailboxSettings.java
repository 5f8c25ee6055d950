package dev.mtasts.reports;

import dev.mtasts.rfc.Finding;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the reports sent to a {@code mailto:} rua are read, and how: the mailbox URL, the login (from a Secret:
 * MTASTS_REPORT_IMAP_USER, MTASTS_REPORT_IMAP_PASSWORD), the poll interval and what becomes of a read message.
 *
 * <p>Secure by default: {@code imaps://} is TLS from the first byte, {@code imap://} must upgrade with STARTTLS
 * (a server that does not offer it is refused); the server's certificate is checked against the JDK's trust store
 * or {@link #caFile()}, name included. Only {@link Security#PLAINTEXT}, asked for explicitly, sends the password
 * in the clear: for tests on loopback.
 */
public record ImapMailboxSettings(
    Security security,
    String host,
    int port,
    String folder,
    String user,
    String password,
    Duration pollInterval,
    Optional<String> processedFolder,
    Optional<String> refusedFolder,
    Optional<Path> caFile,
    long maxMessageBytes,
    int maxMessagesPerPoll,
    Duration timeout) {

  /** How the connection is protected. */
  public enum Security {
    /** {@code imaps://}: TLS from the start (RFC 8314), port 993 by default. */
    IMPLICIT_TLS,
    /** {@code imap://}: STARTTLS required before the login, port 143 by default. */
    STARTTLS,
    /** {@code imap://} with no TLS at all: the password in the clear. Only when asked for, for tests. */
    PLAINTEXT
  }

  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMinutes(5);
  /** Reports are kilobytes (a 1 MiB part, base64, with headers, fits): anything bigger is not downloaded. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = 2L << 20;
  public static final int DEFAULT_MAX_MESSAGES_PER_POLL = 100;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  public ImapMailboxSettings {
    Objects.requireNonNull(security, "security");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(processedFolder, "processedFolder");
    Objects.requireNonNull(refusedFolder, "refusedFolder");
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(timeout, "timeout");
    List<String> errors = new ArrayList<>();
    if (user.isBlank()) {
      errors.add("MTASTS_REPORT_IMAP_USER: is empty; the mailbox login comes from the Secret");
    }
    if (password.isEmpty()) {
      errors.add("MTASTS_REPORT_IMAP_PASSWORD: is empty; the mailbox password comes from the Secret");
    }
    if (pollInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      errors.add("--report-imap-poll-interval: " + pollInterval + " is below the minimum of 1s");
    }
    if (maxMessageBytes < 1024) {
      errors.add("--report-imap-max-message-size: " + maxMessageBytes + " is below the minimum of 1024 bytes");
    }
    if (maxMessagesPerPoll < 1) {
      errors.add("--report-imap-max-messages-per-poll: " + maxMessagesPerPoll + " must be at least 1");
    }
    if (timeout.compareTo(Duration.ofSeconds(1)) < 0) {
      errors.add("--report-imap-timeout: " + timeout + " is below the minimum of 1s");
    }
    if (processedFolder.filter(folder::equals).isPresent()) {
      errors.add("--report-imap-processed-folder: " + Finding.quote(folder) + " is the folder that is polled");
    }
    if (refusedFolder.filter(folder::equals).isPresent()) {
      errors.add("--report-imap-refused-folder: " + Finding.quote(folder) + " is the folder that is polled");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }

  /**
   * The settings for a mailbox URL, {@code imaps://host[:port][/folder]} or {@code imap://...} (folder INBOX when
   * none is given), with the defaults for the rest.
   *
   * @param allowPlaintext accept an {@code imap://} server without STARTTLS (the password then travels in the
   *     clear): for tests only
   */
  public static ImapMailboxSettings of(String url, String user, String password, boolean allowPlaintext) {
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(url, "url"));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--report-imap-url: " + Finding.quote(url) + " is not a URL: " + e.getReason());
    }
    List<String> errors = new ArrayList<>();
    String scheme = Optional.ofNullable(uri.getScheme()).map(s -> s.toLowerCase(Locale.ROOT)).orElse("");
    Security security = switch (scheme) {
      case "imaps" -> Security.IMPLICIT_TLS;
      case "imap" -> allowPlaintext ? Security.PLAINTEXT : Security.STARTTLS;
      default -> {
        errors.add("the scheme must be imaps (TLS) or imap (STARTTLS), not " + Finding.quote(scheme));
        yield Security.IMPLICIT_TLS;
      }
    };
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      errors.add("names no host");
    }
    if (uri.getRawUserInfo() != null) {
      errors.add("holds a user name; the login comes from MTASTS_REPORT_IMAP_USER and MTASTS_REPORT_IMAP_PASSWORD");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      errors.add("may hold only host, port and folder (no ?query or #fragment)");
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("--report-imap-url: " + Finding.quote(url) + " " + String.join("; ", errors));
    }
    int port = uri.getPort() != -1 ? uri.getPort() : security == Security.IMPLICIT_TLS ? 993 : 143;
    String path = Optional.ofNullable(uri.getPath()).orElse("");
    String folder = path.startsWith("/") ? path.substring(1) : path;
    // An unset variable reads as null: reported as empty, with the variable's name.
    return new ImapMailboxSettings(security, uri.getHost(), port, folder.isEmpty() ? "INBOX" : folder,
        Objects.requireNonNullElse(user, ""), Objects.requireNonNullElse(password, ""),
        DEFAULT_POLL_INTERVAL, Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_MAX_MESSAGE_BYTES,
        DEFAULT_MAX_MESSAGES_PER_POLL, DEFAULT_TIMEOUT);
  }

  /** The secure reading of the URL: imaps:// is TLS, imap:// requires STARTTLS. */
  public static ImapMailboxSettings of(String url, String user, String password) {
    return of(url, user, password, false);
  }

  public ImapMailboxSettings withPollInterval(Duration interval) {
    return new ImapMailboxSettings(security, host, port, folder, user, password, interval, processedFolder,
        refusedFolder, caFile, maxMessageBytes, maxMessagesPerPoll, timeout);
  }

  /** Delivered messages are moved there (created if missing) after being marked \Seen. */
  public ImapMailboxSettings withProcessedFolder(Optional<String> name) {
    return new ImapMailboxSettings(security, host, port, folder, user, password, pollInterval, name, refusedFolder,
        caFile, maxMessageBytes, maxMessagesPerPoll, timeout);
  }

  /** Refused messages (not a report, not ours, too big) are moved there (created if missing) after \Seen. */
  public ImapMailboxSettings withRefusedFolder(Optional<String> name) {
    return new ImapMailboxSettings(security, host, port, folder, user, password, pollInterval, processedFolder, name,
        caFile, maxMessageBytes, maxMessagesPerPoll, timeout);
  }

  /** PEM certificates to trust in place of the JDK's trust store: the private CA of the mail server. */
  public ImapMailboxSettings withCaFile(Optional<Path> file) {
    return new ImapMailboxSettings(security, host, port, folder, user, password, pollInterval, processedFolder,
        refusedFolder, file, maxMessageBytes, maxMessagesPerPoll, timeout);
  }

  public ImapMailboxSettings withMaxMessageBytes(long bytes) {
    return new ImapMailboxSettings(security, host, port, folder, user, password, pollInterval, processedFolder,
        refusedFolder, caFile, bytes, maxMessagesPerPoll, timeout);
  }

  public ImapMailboxSettings withMaxMessagesPerPoll(int count) {
    return new ImapMailboxSettings(security, host, port, folder, user, password, pollInterval, processedFolder,
        refusedFolder, caFile, maxMessageBytes, count, timeout);
  }

  /** For connecting, each command and each write. */
  public ImapMailboxSettings withTimeout(Duration value) {
    return new ImapMailboxSettings(security, host, port, folder, user, password, pollInterval, processedFolder,
        refusedFolder, caFile, maxMessageBytes, maxMessagesPerPoll, value);
  }

  /** The mailbox as logs name it, without the password. */
  public String mailbox() {
    return (security == Security.IMPLICIT_TLS ? "imaps" : "imap") + "://" + host + ":" + port + "/" + folder;
  }

  @Override
  public String toString() {
    // Never the password: settings end up in logs and exception messages.
    return "ImapMailboxSettings[" + mailbox() + ", security=" + security + ", user=" + user
        + ", pollInterval=" + pollInterval + ", processedFolder=" + processedFolder + ", refusedFolder="
        + refusedFolder + ", caFile=" + caFile + ", maxMessageBytes=" + maxMessageBytes + ", maxMessagesPerPoll="
        + maxMessagesPerPoll + ", timeout=" + timeout + "]";
  }
}
