package dev.mtasts.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.testing.LocalMailbox;
import dev.mtasts.testing.TestCertificates;
import dev.mtasts.tlsrpt.ReportMediaType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reports sent as real mail: each fixture goes over SMTP to postfix, which delivers it over LMTP to Dovecot, where
 * the poller reads it over IMAP. The intake is {@link RecordingReportIntake}, standing in for the cluster store;
 * what Dovecot holds afterwards is read back with a client of its own, as a person checking the mailbox would.
 */
class ImapReportPollerIT {

  static final String PROCESSED = "Processed";
  static final String REFUSED = "Refused";
  static final String JSON_SUBJECT = "Report Domain: example.com Submitter: sender.example "
      + "Report-ID: <2024-05-01T00:00:00Z_example.com_json@sender.example>";

  @TempDir
  static Path dir;
  static LocalMailbox mailbox;

  final RecordingReportIntake intake = new RecordingReportIntake();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final List<ImapReportPoller> pollers = new ArrayList<>();
  Store client;

  @BeforeAll
  static void startMailbox() {
    mailbox = LocalMailbox.start(dir, new TestCertificates());
  }

  @AfterAll
  static void stopMailbox() {
    if (mailbox != null) {
      mailbox.close();
    }
  }

  @BeforeEach
  void emptyMailbox() throws MessagingException {
    client = mailbox.openClient();
    Folder inbox = client.getFolder("INBOX");
    inbox.open(Folder.READ_WRITE);
    if (inbox.getMessageCount() > 0) {
      inbox.setFlags(1, inbox.getMessageCount(), new Flags(Flags.Flag.DELETED), true);
    }
    inbox.close(true);
    for (String name : List.of(PROCESSED, REFUSED)) {
      Folder folder = client.getFolder(name);
      if (folder.exists()) {
        folder.delete(true);
      }
    }
  }

  @AfterEach
  void closeClient() throws MessagingException {
    pollers.forEach(ImapReportPoller::stop);
    client.close();
  }

  @Test
  void eachReportPartReachesTheIntakeOnceAndOnlyThenIsTheMessageMarkedAndMoved() throws Exception {
    send("tlsrpt-json.eml");
    send("tlsrpt-gzip.eml");
    ImapReportPoller poller = poller(settings().withProcessedFolder(Optional.of(PROCESSED)));
    intake.whileAccepting(() -> unseenSubjects("INBOX"));

    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(2, 0, 0, Optional.empty()));

    List<RecordingReportIntake.Call> calls = intake.calls();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).body()).as("the json part, transfer encoding undone")
        .isEqualTo(fixture("report-json.json"));
    assertThat(calls.get(0).mediaType()).isEqualTo(ReportMediaType.JSON);
    assertThat(calls.get(1).body()).as("the gzip part, still compressed").isEqualTo(fixture("report-gzip.json.gz"));
    assertThat(calls.get(1).mediaType()).isEqualTo(ReportMediaType.GZIP);
    assertThat(calls).allSatisfy(call -> {
      assertThat(call.channel()).isEqualTo(ReportIntake.Channel.MAIL);
      assertThat(call.source()).matches("imap INBOX uid \\d+, sender\\.example!example\\.com!.*");
    });
    assertThat(calls.get(0).observed()).as("while the intake stores it, the message is unread in INBOX")
        .hasValueSatisfying(unseen -> assertThat(unseen).isInstanceOfSatisfying(List.class,
            subjects -> assertThat(subjects).contains(JSON_SUBJECT)));
    assertThat(mailbox.count(client, "INBOX")).isZero();
    assertThat(flags(PROCESSED)).hasSize(2).allSatisfy(flags -> assertThat(flags.contains(Flags.Flag.SEEN)).isTrue());
    assertThat(registry.get("mtasts.report.imap.reports").tag("outcome", "stored").counter().count()).isEqualTo(2);

    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(0, 0, 0, Optional.empty()));
    assertThat(intake.calls()).as("nothing delivered twice").hasSize(2);
  }

  @Test
  void unavailableLeavesTheMessageUnreadAndTheNextPollDeliversIt() throws Exception {
    send("tlsrpt-json.eml");
    // Over STARTTLS this time, and without a processed folder: delivered messages stay in INBOX, \Seen.
    ImapReportPoller poller = poller(ImapMailboxSettings.of(mailbox.imapUrl(), LocalMailbox.USER,
        LocalMailbox.PASSWORD).withCaFile(Optional.of(mailbox.caFile())));
    intake.answer(IntakeOutcome.Kind.UNAVAILABLE);

    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(0, 0, 1, Optional.empty()));
    assertThat(flags("INBOX")).singleElement()
        .satisfies(flags -> assertThat(flags.contains(Flags.Flag.SEEN)).as("still unread").isFalse());

    intake.answer(null);
    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(1, 0, 0, Optional.empty()));
    assertThat(flags("INBOX")).singleElement()
        .satisfies(flags -> assertThat(flags.contains(Flags.Flag.SEEN)).as("read now").isTrue());
    assertThat(intake.calls()).extracting(c -> c.outcome().kind())
        .containsExactly(IntakeOutcome.Kind.UNAVAILABLE, IntakeOutcome.Kind.STORED);
    assertThat(intake.stored()).singleElement().isEqualTo(fixture("report-json.json"));

    poller.pollOnce();
    assertThat(intake.calls()).hasSize(2);
  }

  @Test
  void aMailThatIsNoReportGoesToTheRefusedFolderWithoutReachingTheIntake() throws Exception {
    send("not-a-report.eml");
    ImapReportPoller poller = poller(settings().withProcessedFolder(Optional.of(PROCESSED))
        .withRefusedFolder(Optional.of(REFUSED)));

    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(0, 1, 0, Optional.empty()));

    assertThat(intake.calls()).isEmpty();
    assertThat(mailbox.count(client, "INBOX")).isZero();
    assertThat(mailbox.count(client, PROCESSED)).isZero();
    assertThat(flags(REFUSED)).singleElement().satisfies(flags -> {
      assertThat(flags.contains(Flags.Flag.SEEN)).isTrue();
      assertThat(flags.contains(ImapReportPoller.REFUSED_KEYWORD)).isTrue();
    });
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = IntakeOutcome.Kind.class, names = {"MALFORMED", "NOT_OURS"})
  void aReportTheIntakeRefusesIsMovedAsideAndNotRetried(IntakeOutcome.Kind refusal) throws Exception {
    send("tlsrpt-gzip.eml");
    ImapReportPoller poller = poller(settings().withRefusedFolder(Optional.of(REFUSED)));
    intake.answer(refusal);

    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(0, 1, 0, Optional.empty()));
    assertThat(mailbox.count(client, REFUSED)).isEqualTo(1);

    intake.answer(null);
    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(0, 0, 0, Optional.empty()));
    assertThat(intake.calls()).hasSize(1);
  }

  @Test
  void aDuplicateCountsAsDelivered() throws Exception {
    send("tlsrpt-json.eml");
    ImapReportPoller poller = poller(settings().withProcessedFolder(Optional.of(PROCESSED)));
    intake.answer(IntakeOutcome.Kind.DUPLICATE);

    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(1, 0, 0, Optional.empty()));
    assertThat(mailbox.count(client, PROCESSED)).isEqualTo(1);
  }

  @Test
  void aMessageAboveTheSizeLimitIsRefusedWithoutReachingTheIntake() throws Exception {
    send("tlsrpt-json.eml");
    ImapReportPoller poller = poller(settings().withMaxMessageBytes(1024).withRefusedFolder(Optional.of(REFUSED)));

    assertThat(poller.pollOnce()).isEqualTo(new ImapReportPoller.PollResult(0, 1, 0, Optional.empty()));
    assertThat(intake.calls()).isEmpty();
    assertThat(mailbox.count(client, REFUSED)).isEqualTo(1);
  }

  @Test
  void aRestartedPollerDoesNotDeliverTwiceWhatWasMarked() throws Exception {
    ImapMailboxSettings settings = settings().withPollInterval(Duration.ofSeconds(1));
    send("tlsrpt-json.eml");
    ImapReportPoller first = poller(settings);
    first.start();
    await().atMost(Duration.ofSeconds(20))
        .until(() -> flags("INBOX").stream().allMatch(f -> f.contains(Flags.Flag.SEEN)));
    first.stop();

    send("tlsrpt-gzip.eml");
    ImapReportPoller second = poller(settings);
    second.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> intake.calls().size() == 2);
    // Several polls of the second poller: none hands anything in again.
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> intake.calls().size() == 2);
    second.stop();

    assertThat(intake.calls()).extracting(c -> c.outcome().kind())
        .containsExactly(IntakeOutcome.Kind.STORED, IntakeOutcome.Kind.STORED);
    assertThat(registry.get("mtasts.report.imap.polls").tag("result", "succeeded").counter().count())
        .isGreaterThanOrEqualTo(3);
  }

  @Test
  void aWrongPasswordGivesAClearErrorAndPollingGoesOn() throws Exception {
    ImapReportPoller poller = poller(ImapMailboxSettings.of(mailbox.imapsUrl(), LocalMailbox.USER, "wrong password")
        .withCaFile(Optional.of(mailbox.caFile())).withPollInterval(Duration.ofSeconds(1)));

    ImapReportPoller.PollResult result = poller.pollOnce();

    assertThat(result.failure()).hasValueSatisfying(message -> assertThat(message)
        .startsWith("Cannot read TLS-RPT reports from imaps://127.0.7.1:993/INBOX: the login as "
            + "\"tlsrpt@reports.test\" was refused: ")
        .endsWith("check MTASTS_REPORT_IMAP_USER and MTASTS_REPORT_IMAP_PASSWORD (the Secret)")
        .doesNotContain("wrong password"));
    poller.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> poller.consecutiveFailures() >= 3);
    assertThat(registry.get("mtasts.report.imap.polls").tag("result", "failed").counter().count())
        .isGreaterThanOrEqualTo(3);
    poller.stop();
  }

  @Test
  void aServerCertificateNotSignedByATrustedCaIsRefused() {
    // The JDK's trust store does not hold the test CA: no login is tried.
    ImapReportPoller poller = poller(ImapMailboxSettings.of(mailbox.imapsUrl(), LocalMailbox.USER,
        LocalMailbox.PASSWORD));

    assertThat(poller.pollOnce().failure()).hasValueSatisfying(message ->
        assertThat(message).contains("PKIX path building failed"));
  }

  @Test
  void aMailboxThatDoesNotAnswerIsRetriedLater() {
    // Nothing listens on 127.0.7.2: the connection is refused.
    ImapReportPoller poller = poller(ImapMailboxSettings.of("imaps://127.0.7.2/INBOX", LocalMailbox.USER,
        LocalMailbox.PASSWORD).withTimeout(Duration.ofSeconds(2)));

    assertThat(poller.pollOnce().failure()).hasValueSatisfying(message -> assertThat(message)
        .startsWith("Cannot read TLS-RPT reports from imaps://127.0.7.2:993/INBOX: Couldn't connect to host")
        .contains("Connection refused"));
    assertThat(poller.pollOnce().failure()).isPresent();
    assertThat(poller.consecutiveFailures()).isEqualTo(2);
  }

  private ImapMailboxSettings settings() {
    return ImapMailboxSettings.of(mailbox.imapsUrl(), LocalMailbox.USER, LocalMailbox.PASSWORD)
        .withCaFile(Optional.of(mailbox.caFile())).withTimeout(Duration.ofSeconds(10));
  }

  private ImapReportPoller poller(ImapMailboxSettings settings) {
    ImapReportPoller poller = new ImapReportPoller(settings, intake, registry);
    pollers.add(poller);
    return poller;
  }

  /** Sends the fixture over SMTP and waits until Dovecot has it in INBOX. */
  private void send(String fixture) throws Exception {
    int before = mailbox.count(client, "INBOX");
    try (InputStream in = resource(fixture)) {
      mailbox.send(new MimeMessage(Session.getInstance(new Properties()), in), "tlsrpt-noreply@sender.example");
    }
    try {
      await().atMost(Duration.ofSeconds(20)).until(() -> mailbox.count(client, "INBOX") == before + 1);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("postfix did not deliver " + fixture + " to Dovecot\n" + mailbox.log(), e);
    }
  }

  /** The flags of each message in the folder, read afresh. */
  private List<Flags> flags(String name) throws MessagingException {
    Folder folder = client.getFolder(name);
    folder.open(Folder.READ_ONLY);
    try {
      List<Flags> flags = new ArrayList<>();
      for (Message message : folder.getMessages()) {
        flags.add(message.getFlags());
      }
      return flags;
    } finally {
      folder.close(false);
    }
  }

  private List<String> unseenSubjects(String name) {
    try {
      Folder folder = client.getFolder(name);
      folder.open(Folder.READ_ONLY);
      try {
        List<String> subjects = new ArrayList<>();
        for (Message message : folder.getMessages()) {
          if (!message.getFlags().contains(Flags.Flag.SEEN)) {
            subjects.add(message.getSubject());
          }
        }
        return subjects;
      } finally {
        folder.close(false);
      }
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] fixture(String name) throws IOException {
    try (InputStream in = resource(name)) {
      return in.readAllBytes();
    }
  }

  private static InputStream resource(String name) {
    return ImapReportPollerIT.class.getResourceAsStream("/tlsrpt-mail/" + name);
  }
}
