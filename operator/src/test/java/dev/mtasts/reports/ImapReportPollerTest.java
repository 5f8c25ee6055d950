package dev.mtasts.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImapReportPollerTest {

  @Test
  void backoffDoublesPerFailureUpToFifteenMinutesOrTheInterval() {
    Duration interval = Duration.ofMinutes(1);

    assertThat(ImapReportPoller.backoff(interval, 0)).isEqualTo(Duration.ofMinutes(1));
    assertThat(ImapReportPoller.backoff(interval, 1)).isEqualTo(Duration.ofMinutes(2));
    assertThat(ImapReportPoller.backoff(interval, 3)).isEqualTo(Duration.ofMinutes(8));
    assertThat(ImapReportPoller.backoff(interval, 30)).isEqualTo(Duration.ofMinutes(15));
    assertThat(ImapReportPoller.backoff(Duration.ofHours(1), 5)).isEqualTo(Duration.ofHours(1));
  }
}
