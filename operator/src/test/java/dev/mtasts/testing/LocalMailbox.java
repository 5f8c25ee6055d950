package dev.mtasts.testing;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The mailbox a {@code mailto:} rua points at, as a real mail system runs it: Debian's postfix accepts mail for
 * {@value #DOMAIN} on 127.0.7.1:25 and delivers it over LMTP to Debian's Dovecot, which serves it over IMAP with
 * STARTTLS (143) and IMAPS (993) on 127.0.7.1, with a certificate of the test CA for that address. Both run with
 * configuration, queue, state and mail directories of their own under the test's directory, none of the system's.
 */
public final class LocalMailbox implements AutoCloseable {

  public static final String DOMAIN = "reports.test";
  public static final String ADDRESS = "127.0.7.1";
  public static final int IMAP_PORT = 143;
  public static final int IMAPS_PORT = 993;
  public static final int LMTP_PORT = 24;
  public static final int SMTP_PORT = 25;
  /** The operator's login, and the rua the reports are sent to. */
  public static final String USER = "tlsrpt@" + DOMAIN;
  public static final String PASSWORD = "correct horse battery staple";

  private final TestDaemon dovecot;
  private final TestDaemon postfix;
  private final Path postfixConfig;
  private final Path caFile;
  private final Path dir;

  private LocalMailbox(TestDaemon dovecot, TestDaemon postfix, Path postfixConfig, Path caFile, Path dir) {
    this.dovecot = dovecot;
    this.postfix = postfix;
    this.postfixConfig = postfixConfig;
    this.caFile = caFile;
    this.dir = dir;
  }

  public static Path dovecotBinary() {
    Path binary = Path.of("/usr/sbin/dovecot");
    if (!Files.isExecutable(binary) || !Files.isExecutable(Path.of("/usr/lib/dovecot/imap"))
        || !Files.isExecutable(Path.of("/usr/lib/dovecot/lmtp"))) {
      throw new IllegalStateException(
          "No Dovecot IMAP and LMTP on this machine: run test-infra/setup.sh (it installs dovecot-imapd and "
              + "dovecot-lmtpd)");
    }
    return binary;
  }

  /** Starts Dovecot, then postfix, under dir; they are ready when each port answers. */
  public static LocalMailbox start(Path dir, TestCertificates ca) {
    for (int port : List.of(IMAP_PORT, IMAPS_PORT, LMTP_PORT, SMTP_PORT)) {
      if (accepts(port)) {
        // Another server there would answer in place of ours and make every result meaningless.
        throw new IllegalStateException("something already listens on " + ADDRESS + ":" + port);
      }
    }
    try {
      // The unprivileged Dovecot processes (dovenull, dovecot, mail) must reach their files under the temp dir.
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      Instant now = Instant.now();
      Path[] certificate = ca.issue(dir, "imap", now.minusSeconds(60), now.plus(Duration.ofDays(1)), ADDRESS);
      Path caFile = ca.writeCa(dir.resolve("mailbox-ca.pem"));
      TestDaemon dovecot = startDovecot(dir, certificate);
      Path postfixConfig = Files.createDirectories(dir.resolve("postfix"));
      TestDaemon postfix;
      try {
        postfix = startPostfix(dir, postfixConfig);
      } catch (RuntimeException e) {
        dovecot.close();
        throw e;
      }
      return new LocalMailbox(dovecot, postfix, postfixConfig, caFile, dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TestDaemon startDovecot(Path dir, Path[] certificate) throws IOException {
    Path root = Files.createDirectories(dir.resolve("dovecot"));
    Path mail = Files.createDirectories(root.resolve("mail"));
    Files.createDirectories(root.resolve("state"));
    chown("mail:mail", mail);
    Path passwd = Files.writeString(root.resolve("passwd"), USER + ":{PLAIN}" + PASSWORD + "::::::\n");
    Files.setPosixFilePermissions(passwd, PosixFilePermissions.fromString("rw-r--r--"));
    // The key is read by the master process (root) only; the mail user (uid 8) owns the mail.
    Path config = Files.writeString(root.resolve("dovecot.conf"), """
        base_dir = %1$s/run
        state_dir = %1$s/state
        log_path = /dev/stderr
        protocols = imap lmtp
        listen = %2$s
        ssl = required
        ssl_cert = <%3$s
        ssl_key = <%4$s
        ssl_min_protocol = TLSv1.2
        disable_plaintext_auth = yes
        auth_mechanisms = plain login
        first_valid_uid = 8
        last_valid_uid = 8
        passdb {
          driver = passwd-file
          args = scheme=PLAIN %5$s
        }
        userdb {
          driver = static
          args = uid=mail gid=mail home=%6$s/%%u
        }
        mail_location = maildir:~/Maildir
        # The wrong-password test logs in badly several times: no growing penalty for the address.
        auth_failure_delay = 0
        service anvil {
          unix_listener anvil-auth-penalty {
            mode = 0
          }
        }
        service imap-login {
          inet_listener imap {
            port = %7$d
          }
          inet_listener imaps {
            port = %8$d
            ssl = yes
          }
        }
        service lmtp {
          inet_listener lmtp {
            port = %9$d
          }
        }
        """.formatted(root, ADDRESS, certificate[0], certificate[1], passwd, mail, IMAP_PORT, IMAPS_PORT, LMTP_PORT));
    return TestDaemon.start(List.of(dovecotBinary().toString(), "-F", "-c", config.toString()),
        dir.resolve("dovecot.log"), () -> accepts(IMAP_PORT) && accepts(IMAPS_PORT) && accepts(LMTP_PORT));
  }

  private static TestDaemon startPostfix(Path dir, Path config) throws IOException {
    Path queue = Files.createDirectories(dir.resolve("postfix-queue"));
    Path data = Files.createDirectories(dir.resolve("postfix-data"));
    Files.setPosixFilePermissions(queue, PosixFilePermissions.fromString("rwxr-xr-x"));
    // postfix refuses a data directory it does not own (master.lock lives there).
    chown("postfix:postfix", data);
    // Every recipient at the report domain is a mailbox at Dovecot, which refuses the unknown ones over LMTP.
    Files.writeString(config.resolve("main.cf"), """
        compatibility_level = 3.6
        queue_directory = %s
        data_directory = %s
        mail_owner = postfix
        myhostname = mx.%s
        mydestination =
        inet_protocols = ipv4
        maillog_file = /dev/stdout
        smtpd_banner = $myhostname ESMTP
        smtpd_tls_security_level = none
        virtual_mailbox_domains = %s
        virtual_mailbox_maps = static:mailbox
        virtual_transport = lmtp:inet:%s:%d
        """.formatted(queue, data, DOMAIN, DOMAIN, ADDRESS, LMTP_PORT));
    StringBuilder master = new StringBuilder(ADDRESS + ":" + SMTP_PORT + " inet n - n - - smtpd\n");
    for (String service : List.of("pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup",
        "qmgr unix n - n 300 1 qmgr", "tlsmgr unix - - n 1000? 1 tlsmgr", "rewrite unix - - n - - trivial-rewrite",
        "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce", "trace unix - - n - 0 bounce",
        "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush", "proxymap unix - - n - - proxymap",
        "smtp unix - - n - - smtp", "relay unix - - n - - smtp", "lmtp unix - - n - - lmtp",
        "showq unix n - n - - showq", "error unix - - n - - error", "retry unix - - n - - error",
        "discard unix - - n - - discard", "local unix - n n - - local", "anvil unix - - n - 1 anvil",
        "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd")) {
      master.append(service).append('\n');
    }
    Files.writeString(config.resolve("master.cf"), master);
    return TestDaemon.start(List.of(LocalMta.binary().toString(), "-c", config.toString(), "start-fg"),
        dir.resolve("postfix.log"), () -> accepts(SMTP_PORT));
  }

  /** The IMAPS URL of the inbox, for the poller. */
  public String imapsUrl() {
    return "imaps://" + ADDRESS + ":" + IMAPS_PORT + "/INBOX";
  }

  /** The IMAP URL of the inbox (STARTTLS), for the poller. */
  public String imapUrl() {
    return "imap://" + ADDRESS + ":" + IMAP_PORT + "/INBOX";
  }

  /** The PEM file of the CA that signed Dovecot's certificate. */
  public Path caFile() {
    return caFile;
  }

  /** Sends the message over SMTP to postfix, as a reporting MTA would (envelope: from, to {@link #USER}). */
  public void send(MimeMessage message, String envelopeFrom) {
    Properties properties = new Properties();
    properties.setProperty("mail.smtp.host", ADDRESS);
    properties.setProperty("mail.smtp.port", Integer.toString(SMTP_PORT));
    properties.setProperty("mail.smtp.from", envelopeFrom);
    properties.setProperty("mail.smtp.connectiontimeout", "5000");
    properties.setProperty("mail.smtp.timeout", "10000");
    try {
      Session session = Session.getInstance(properties);
      MimeMessage copy = new MimeMessage(session, new ByteArrayInputStream(bytes(message)));
      Transport.send(copy, new InternetAddress[] {new InternetAddress(USER)});
    } catch (MessagingException e) {
      throw new IllegalStateException("postfix did not take the message: " + e.getMessage() + "\n" + log(), e);
    }
  }

  /**
   * A client of its own, as a person checking the mailbox would use, logged in over IMAPS; the caller closes it.
   * Opened folders show the flags as Dovecot has them.
   */
  public Store openClient() {
    Properties properties = new Properties();
    properties.put("mail.imaps.ssl.socketFactory", trustingTestCa());
    properties.setProperty("mail.imaps.ssl.checkserveridentity", "true");
    properties.setProperty("mail.imaps.peek", "true");
    try {
      Store store = Session.getInstance(properties).getStore("imaps");
      store.connect(ADDRESS, IMAPS_PORT, USER, PASSWORD);
      return store;
    } catch (MessagingException e) {
      throw new IllegalStateException("cannot log in to Dovecot: " + e.getMessage() + "\n" + log(), e);
    }
  }

  /** What Dovecot and postfix logged, for failure messages. */
  public String log() {
    try {
      return "dovecot.log:\n" + Files.readString(dir.resolve("dovecot.log")) + "\npostfix.log:\n"
          + Files.readString(dir.resolve("postfix.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** The number of messages in a folder, 0 when it does not exist. */
  public int count(Store client, String folderName) throws MessagingException {
    Folder folder = client.getFolder(folderName);
    return folder.exists() ? folder.getMessageCount() : 0;
  }

  private SSLSocketFactory trustingTestCa() {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context.getSocketFactory();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(MimeMessage message) throws MessagingException {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      message.writeTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean accepts(int port) {
    return TestDaemon.accepts(new InetSocketAddress(ADDRESS, port));
  }

  private static void chown(String owner, Path path) throws IOException {
    try {
      int exit = new ProcessBuilder("chown", owner, path.toString()).inheritIO().start().waitFor();
      if (exit != 0) {
        throw new IOException("chown " + owner + " " + path + " exited with " + exit + " (the tests run as root)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Override
  public void close() {
    try {
      // A clean stop, so that no master process outlives the test and answers in the next one's place.
      new ProcessBuilder(LocalMta.binary().toString(), "-c", postfixConfig.toString(), "stop").start().waitFor();
    } catch (IOException e) {
      // the daemon is stopped below in any case
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    postfix.close();
    dovecot.close();
  }
}
