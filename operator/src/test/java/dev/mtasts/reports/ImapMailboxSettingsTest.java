package dev.mtasts.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mtasts.reports.ImapMailboxSettings.Security;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImapMailboxSettingsTest {

  @Test
  void imapsIsTlsOnPort993AndInboxByDefault() {
    ImapMailboxSettings settings = ImapMailboxSettings.of("imaps://mail.example.com", "tlsrpt", "secret");

    assertThat(settings.security()).isEqualTo(Security.IMPLICIT_TLS);
    assertThat(settings.port()).isEqualTo(993);
    assertThat(settings.folder()).isEqualTo("INBOX");
    assertThat(settings.mailbox()).isEqualTo("imaps://mail.example.com:993/INBOX");
  }

  @Test
  void imapRequiresStartTlsUnlessPlaintextIsAskedFor() {
    assertThat(ImapMailboxSettings.of("imap://mail.example.com/Reports", "u", "p").security())
        .isEqualTo(Security.STARTTLS);
    assertThat(ImapMailboxSettings.of("imap://mail.example.com:1143/Reports/TLS", "u", "p", true))
        .satisfies(s -> assertThat(s.security()).isEqualTo(Security.PLAINTEXT))
        .satisfies(s -> assertThat(s.port()).isEqualTo(1143))
        .satisfies(s -> assertThat(s.folder()).isEqualTo("Reports/TLS"));
    assertThat(ImapMailboxSettings.of("imaps://mail.example.com", "u", "p", true).security())
        .as("imaps stays TLS").isEqualTo(Security.IMPLICIT_TLS);
  }

  @Test
  void thePasswordIsNeverPrinted() {
    assertThat(ImapMailboxSettings.of("imaps://mail.example.com", "tlsrpt", "hunter2").toString())
        .contains("tlsrpt").doesNotContain("hunter2");
  }

  static Stream<Arguments> invalid() {
    return Stream.of(
        Arguments.of("an https URL", "https://mail.example.com", "u", "p",
            "--report-imap-url: \"https://mail.example.com\" the scheme must be imaps (TLS) or imap (STARTTLS), "
                + "not \"https\""),
        Arguments.of("credentials in the URL", "imaps://u:p@mail.example.com", "u", "p",
            "--report-imap-url: \"imaps://u:p@mail.example.com\" holds a user name; the login comes from "
                + "MTASTS_REPORT_IMAP_USER and MTASTS_REPORT_IMAP_PASSWORD"),
        Arguments.of("no host", "imaps:///INBOX", "u", "p", "--report-imap-url: \"imaps:///INBOX\" names no host"),
        Arguments.of("no Secret (variables unset)", "imaps://mail.example.com", null, null,
            "MTASTS_REPORT_IMAP_USER: is empty; the mailbox login comes from the Secret; "
                + "MTASTS_REPORT_IMAP_PASSWORD: is empty; the mailbox password comes from the Secret"),
        Arguments.of("an empty user and password", "imaps://mail.example.com", " ", "",
            "MTASTS_REPORT_IMAP_USER: is empty; the mailbox login comes from the Secret; "
                + "MTASTS_REPORT_IMAP_PASSWORD: is empty; the mailbox password comes from the Secret"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void refusedWithTheFieldAndTheRule(String name, String url, String user, String password, String message) {
    assertThatThrownBy(() -> ImapMailboxSettings.of(url, user, password))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void theProcessedFolderCannotBeThePolledOne() {
    ImapMailboxSettings settings = ImapMailboxSettings.of("imaps://mail.example.com/INBOX", "u", "p");

    assertThatThrownBy(() -> settings.withProcessedFolder(Optional.of("INBOX")))
        .hasMessage("--report-imap-processed-folder: \"INBOX\" is the folder that is polled");
    assertThatThrownBy(() -> settings.withPollInterval(Duration.ofMillis(10)))
        .hasMessage("--report-imap-poll-interval: PT0.01S is below the minimum of 1s");
  }
}
