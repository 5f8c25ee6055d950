package dev.mtasts.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.TlsReporting;
import org.junit.jupiter.api.Test;

class HttpsReportReceiverTest {

  @Test
  void listensOnThePathThePolicyHostsPassReportsOn() {
    assertThat(HttpsReportReceiver.PATH).isEqualTo(TlsReporting.RECEIVE_PATH);
  }

  @Test
  void thePolicyHostIsTheHostHeaderInLowerCaseWithoutPortOrFinalDot() {
    assertThat(HttpsReportReceiver.policyHost("MTA-STS.Example.COM:443")).contains("mta-sts.example.com");
    assertThat(HttpsReportReceiver.policyHost("mta-sts.example.com.")).contains("mta-sts.example.com");
    assertThat(HttpsReportReceiver.policyHost("[fd00::1]:8090")).contains("[fd00::1]");
    assertThat(HttpsReportReceiver.policyHost(" ")).isEmpty();
    assertThat(HttpsReportReceiver.policyHost(null)).isEmpty();
  }
}
