package dev.mtasts.reports;

import dev.mtasts.rfc.Finding;
import dev.mtasts.rfc.ParseResult;
import dev.mtasts.tlsrpt.ReportAttachment;
import dev.mtasts.tlsrpt.ReportMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the TLS-RPT reports sent to a {@code mailto:} rua (RFC 8460 §3) from an IMAP mailbox and hands each report
 * part to the {@link ReportIntake}.
 *
 * <p>Each poll logs in, opens the folder and reads the messages without \Seen, oldest first (at most
 * {@link ImapMailboxSettings#maxMessagesPerPoll()}). A message is acknowledged only after the intake has answered
 * for every part:
 * <ul>
 *   <li>every part delivered (STORED or DUPLICATE): \Seen, then moved to the processed folder if one is set;
 *   <li>a part MALFORMED or NOT_OURS, a message that is no report, or one larger than the limit (not downloaded: its
 *       RFC822.SIZE is read first): \Seen and the keyword {@value #REFUSED_KEYWORD}, then moved to the refused folder
 *       if one is set, and the log says why; retrying could not help;
 *   <li>a part UNAVAILABLE: the message is left as it is and the poll ends, for the next poll to try again.
 * </ul>
 * Messages are read with BODY.PEEK, so reading alone marks nothing. A connection or login failure is logged and the
 * next poll comes later each time (the interval doubled per failure, up to 15 minutes or the interval if longer);
 * nothing the mailbox does stops the poller or the operator.
 *
 * <p>Every replica may run one: reports are stored by report-id, so a message two pollers read at once is stored
 * once and only DUPLICATE the second time, and the second move finds the message gone, which is fine. To avoid the
 * double work, the caller chooses where to {@link #start()} it (the leader, say). The mailbox should be one the
 * poller has to itself: a person who opens a message in it marks it \Seen and hides it from the poller.
 */
public final class ImapReportPoller implements AutoCloseable {

  /** Put on refused messages, so that a person can tell them from delivered ones in the same folder. */
  public static final String REFUSED_KEYWORD = "MtaStsRefused";

  private static final Logger log = LoggerFactory.getLogger(ImapReportPoller.class);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(15);

  /** What one poll did. failure is present when the poll could not log in or read the folder. */
  public record PollResult(int delivered, int refused, int deferred, Optional<String> failure) {
    public boolean succeeded() {
      return failure.isEmpty();
    }
  }

  private enum Acknowledgement { DELIVERED, REFUSED, DEFERRED }

  private final ImapMailboxSettings settings;
  private final ReportIntake intake;
  private final Properties properties;
  private final Map<Acknowledgement, Counter> messages = new EnumMap<>(Acknowledgement.class);
  private final Map<IntakeOutcome.Kind, Counter> reports = new EnumMap<>(IntakeOutcome.Kind.class);
  private final Counter pollsSucceeded;
  private final Counter pollsFailed;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private ScheduledExecutorService scheduler;

  /**
   * @param registry where the counters go: {@code mtasts.report.imap.polls{result}},
   *     {@code mtasts.report.imap.messages{outcome=delivered|refused|deferred}},
   *     {@code mtasts.report.imap.reports{outcome=stored|duplicate|malformed|not_ours|unavailable}} and the gauge
   *     {@code mtasts.report.imap.consecutive.failures}
   */
  public ImapReportPoller(ImapMailboxSettings settings, ReportIntake intake, MeterRegistry registry) {
    this.settings = settings;
    this.intake = intake;
    this.properties = sessionProperties(settings);
    for (Acknowledgement outcome : Acknowledgement.values()) {
      messages.put(outcome, Counter.builder("mtasts.report.imap.messages")
          .description("Messages read from the report mailbox, by what became of them")
          .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    for (IntakeOutcome.Kind kind : IntakeOutcome.Kind.values()) {
      reports.put(kind, Counter.builder("mtasts.report.imap.reports")
          .description("Report parts read from the report mailbox, by the intake's answer")
          .tag("outcome", kind.name().toLowerCase(Locale.ROOT)).register(registry));
    }
    pollsSucceeded = Counter.builder("mtasts.report.imap.polls").tag("result", "succeeded").register(registry);
    pollsFailed = Counter.builder("mtasts.report.imap.polls").tag("result", "failed").register(registry);
    registry.gauge("mtasts.report.imap.consecutive.failures", consecutiveFailures);
  }

  /** Polls now and then every poll interval (later after failures), on a thread of its own, until {@link #stop()}. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "imap-report-poller");
      thread.setDaemon(true);
      return thread;
    });
    // stop() drops the next poll instead of waiting for it.
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    scheduler = executor;
    log.info("Polling {} for TLS-RPT reports every {} as {}", settings.mailbox(), settings.pollInterval(),
        settings.user());
    scheduler.execute(this::pollAndReschedule);
  }

  /** Stops polling; a poll under way may finish (until the timeout), then the connection is dropped. */
  public void stop() {
    ScheduledExecutorService running;
    synchronized (this) {
      running = scheduler;
      scheduler = null;
    }
    if (running == null) {
      return;
    }
    running.shutdown();
    try {
      if (!running.awaitTermination(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)) {
        running.shutdownNow();
      }
    } catch (InterruptedException e) {
      running.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop();
  }

  /** Failed polls in a row; 0 after a poll that could read the folder. */
  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /** The delay before the next poll after this many failed polls in a row. */
  static Duration backoff(Duration interval, int failures) {
    Duration cap = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    Duration delay = interval;
    for (int i = 0; i < failures && delay.compareTo(cap) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(cap) > 0 ? cap : delay;
  }

  private void pollAndReschedule() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      // pollOnce catches what the mailbox throws; this is a bug of ours, and it must not end the polling either.
      log.error("Polling {} failed unexpectedly", settings.mailbox(), e);
    } finally {
      synchronized (this) {
        if (scheduler != null && !scheduler.isShutdown()) {
          scheduler.schedule(this::pollAndReschedule,
              backoff(settings.pollInterval(), consecutiveFailures.get()).toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    }
  }

  /** One poll, on the caller's thread. Never throws for what the mailbox or the network does. */
  public synchronized PollResult pollOnce() {
    Session session = Session.getInstance(properties);
    int[] counts = new int[Acknowledgement.values().length];
    try (Store store = session.getStore(settings.security() == ImapMailboxSettings.Security.IMPLICIT_TLS
        ? "imaps" : "imap")) {
      store.connect(settings.host(), settings.port(), settings.user(), settings.password());
      IMAPFolder folder = (IMAPFolder) store.getFolder(settings.folder());
      if (!folder.exists()) {
        return failed("the folder " + Finding.quote(settings.folder()) + " does not exist in " + settings.mailbox(),
            null);
      }
      Optional<Folder> processed = target(store, settings.processedFolder());
      Optional<Folder> refused = target(store, settings.refusedFolder());
      folder.open(Folder.READ_WRITE);
      try {
        Message[] unseen = folder.search(new FlagTerm(new Flags(Flags.Flag.SEEN), false));
        Message[] batch = Arrays.copyOf(unseen, Math.min(unseen.length, settings.maxMessagesPerPoll()));
        FetchProfile profile = new FetchProfile();
        profile.add(UIDFolder.FetchProfileItem.UID);
        profile.add(FetchProfile.Item.SIZE);
        profile.add(FetchProfile.Item.FLAGS);
        folder.fetch(batch, profile);
        boolean userKeywords = folder.getPermanentFlags().contains(Flags.Flag.USER);
        for (Message message : batch) {
          Acknowledgement done = handle(session, folder, message, processed, refused, userKeywords);
          counts[done.ordinal()]++;
          messages.get(done).increment();
          if (done == Acknowledgement.DEFERRED) {
            break; // the store is not answering: the rest waits for the next poll too
          }
        }
        if (unseen.length > batch.length) {
          log.info("{}: {} more unread messages wait for the next poll", settings.mailbox(),
              unseen.length - batch.length);
        }
      } finally {
        if (folder.isOpen()) {
          folder.close(false);
        }
      }
      consecutiveFailures.set(0);
      pollsSucceeded.increment();
      return new PollResult(counts[0], counts[1], counts[2], Optional.empty());
    } catch (AuthenticationFailedException e) {
      return failed("the login as " + Finding.quote(settings.user()) + " was refused: " + e.getMessage()
          + "; check MTASTS_REPORT_IMAP_USER and MTASTS_REPORT_IMAP_PASSWORD (the Secret)", null);
    } catch (MessagingException e) {
      return failed(describe(e), e);
    }
  }

  private PollResult failed(String why, Exception e) {
    int failures = consecutiveFailures.incrementAndGet();
    pollsFailed.increment();
    String message = "Cannot read TLS-RPT reports from " + settings.mailbox() + ": " + why;
    log.warn("{}; next try in {} ({} failed polls in a row)", message, backoff(settings.pollInterval(), failures),
        failures);
    if (e != null) {
      log.debug("IMAP failure", e);
    }
    return new PollResult(0, 0, 0, Optional.of(message));
  }

  private Acknowledgement handle(Session session, IMAPFolder folder, Message message, Optional<Folder> processed,
      Optional<Folder> refused, boolean userKeywords) throws MessagingException {
    long uid = folder.getUID(message);
    String source = "imap " + settings.folder() + " uid " + uid;
    try {
      int size = message.getSize();
      if (size > settings.maxMessageBytes()) {
        return refuse(folder, message, source, List.of("the message is " + size + " bytes, above the limit of "
            + settings.maxMessageBytes() + "; not downloaded"), refused, userKeywords);
      }
      byte[] raw;
      try {
        raw = download(message);
      } catch (TooLarge e) {
        return refuse(folder, message, source, List.of("the message is larger than its RFC822.SIZE said, above "
            + settings.maxMessageBytes() + " bytes"), refused, userKeywords);
      }
      ParseResult<List<ReportAttachment>> parts =
          ReportMessage.attachments(new MimeMessage(session, new ByteArrayInputStream(raw)));
      if (parts.value().isEmpty()) {
        reports.get(IntakeOutcome.Kind.MALFORMED).increment();
        return refuse(folder, message, source,
            parts.errors().stream().map(Finding::toString).toList(), refused, userKeywords);
      }
      List<String> refusals = new ArrayList<>();
      for (ReportAttachment part : parts.value().get()) {
        String partSource = source + ", " + part.filename();
        IntakeOutcome outcome = accept(part, partSource);
        reports.get(outcome.kind()).increment();
        switch (outcome.kind()) {
          case STORED, DUPLICATE -> log.debug("{}: {}: {}", partSource, outcome.kind(), outcome.message());
          case MALFORMED, NOT_OURS -> refusals.add(part.filename() + ": " + outcome.kind() + ": " + outcome.message());
          case UNAVAILABLE -> {
            log.warn("{}: the report could not be stored now ({}); the message stays unread for the next poll",
                partSource, outcome.message());
            return Acknowledgement.DEFERRED;
          }
        }
      }
      if (!refusals.isEmpty()) {
        return refuse(folder, message, source, refusals, refused, userKeywords);
      }
      message.setFlag(Flags.Flag.SEEN, true);
      processed.ifPresent(target -> move(folder, message, target, source));
      log.info("{}: {} report(s) delivered", source, parts.value().get().size());
      return Acknowledgement.DELIVERED;
    } catch (MessageRemovedException e) {
      // Another replica's poller moved it first: it has been delivered there.
      log.debug("{}: removed by another reader meanwhile", source);
      return Acknowledgement.DELIVERED;
    }
  }

  private IntakeOutcome accept(ReportAttachment part, String source) {
    try {
      return intake.accept(part.body(), part.mediaType(), ReportIntake.Channel.MAIL, source, Optional.empty());
    } catch (RuntimeException e) {
      // An intake must answer UNAVAILABLE rather than throw; if it throws anyway, keep the message for later.
      log.warn("{}: the intake failed: {}", source, e.toString());
      return IntakeOutcome.unavailable(e.toString());
    }
  }

  private Acknowledgement refuse(IMAPFolder folder, Message message, String source, List<String> reasons,
      Optional<Folder> refused, boolean userKeywords) throws MessagingException {
    Flags flags = new Flags(Flags.Flag.SEEN);
    if (userKeywords) {
      flags.add(REFUSED_KEYWORD);
    }
    message.setFlags(flags, true);
    refused.ifPresent(target -> move(folder, message, target, source));
    log.warn("{}: refused{}, not retried: {}", source,
        refused.map(f -> " and moved to " + Finding.quote(f.getFullName())).orElse(""), String.join("; ", reasons));
    return Acknowledgement.REFUSED;
  }

  private void move(IMAPFolder folder, Message message, Folder target, String source) {
    try {
      if (((IMAPStore) folder.getStore()).hasCapability("MOVE")) {
        folder.moveUIDMessages(new Message[] {message}, target);
      } else {
        // Without MOVE (RFC 6851): copy, then delete only this message (UID EXPUNGE where the server has UIDPLUS).
        folder.copyUIDMessages(new Message[] {message}, target);
        message.setFlag(Flags.Flag.DELETED, true);
        folder.expunge(new Message[] {message});
      }
    } catch (MessagingException e) {
      // Marked \Seen already, so it will not be read again; only the tidying is missing.
      log.warn("{}: marked, but could not be moved to {}: {}", source, Finding.quote(target.getFullName()),
          describe(e));
    }
  }

  private Optional<Folder> target(Store store, Optional<String> name) throws MessagingException {
    if (name.isEmpty()) {
      return Optional.empty();
    }
    Folder target = store.getFolder(name.get());
    if (!target.exists() && !target.create(Folder.HOLDS_MESSAGES)) {
      throw new MessagingException("cannot create the folder " + Finding.quote(name.get()));
    }
    return Optional.of(target);
  }

  /** The whole message as stored, read with BODY.PEEK (session property), stopped past the size limit. */
  private byte[] download(Message message) throws MessagingException, TooLarge {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    OutputStream bounded = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (buffer.size() + len > settings.maxMessageBytes()) {
          throw new TooLargeSignal();
        }
        buffer.write(b, off, len);
      }
    };
    try {
      message.writeTo(bounded);
    } catch (TooLargeSignal e) {
      throw new TooLarge();
    } catch (IOException e) {
      throw new MessagingException("cannot read the message: " + e.getMessage(), e);
    }
    return buffer.toByteArray();
  }

  private static final class TooLargeSignal extends IOException {}

  private static final class TooLarge extends Exception {}

  private static String describe(MessagingException e) {
    List<String> causes = new ArrayList<>();
    for (Throwable t = e; t != null && causes.size() < 4; t = t.getCause()) {
      String message = Optional.ofNullable(t.getMessage()).orElse(t.getClass().getSimpleName());
      // Wrapping exceptions often repeat their cause's message after a class name: keep each text once.
      if (causes.stream().noneMatch(c -> c.contains(message))) {
        causes.add(message);
      }
    }
    return String.join(": ", causes);
  }

  private static Properties sessionProperties(ImapMailboxSettings settings) {
    String protocol = settings.security() == ImapMailboxSettings.Security.IMPLICIT_TLS ? "imaps" : "imap";
    String prefix = "mail." + protocol + ".";
    Properties properties = new Properties();
    String timeout = Long.toString(settings.timeout().toMillis());
    properties.setProperty(prefix + "connectiontimeout", timeout);
    properties.setProperty(prefix + "timeout", timeout);
    properties.setProperty(prefix + "writetimeout", timeout);
    // Reading a message must not mark it: only the intake's answer does.
    properties.setProperty(prefix + "peek", "true");
    if (settings.security() != ImapMailboxSettings.Security.PLAINTEXT) {
      properties.setProperty(prefix + "ssl.checkserveridentity", "true");
      settings.caFile().ifPresent(file -> properties.put(prefix + "ssl.socketFactory",
          trusting(file).getSocketFactory()));
    }
    if (settings.security() == ImapMailboxSettings.Security.STARTTLS) {
      properties.setProperty(prefix + "starttls.enable", "true");
      properties.setProperty(prefix + "starttls.required", "true");
    }
    return properties;
  }

  private static SSLContext trusting(java.nio.file.Path caFile) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = Files.newInputStream(caFile)) {
        int i = 0;
        for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
        if (i == 0) {
          throw new IllegalArgumentException("--report-imap-ca-file: " + caFile + " holds no PEM certificate");
        }
      }
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("--report-imap-ca-file: cannot read " + caFile + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("--report-imap-ca-file: " + caFile + ": " + e.getMessage(), e);
    }
  }
}
