package dev.mtasts.reports;

import static dev.mtasts.testing.TestPolicies.receiving;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.TestPolicies;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 2000 reports from 20 senders at once, straight to the receiver and through the policy server's nginx (plain
 * HTTP: TLS is the Ingress's cost, not ours). The intake is the in-memory stand-in for the store
 * ({@link RecordingIntake}); {@link ReportReceiverLoad} takes any other.
 */
class ReportReceiverLoadIT {

  static final int REPORTS = 2000;
  static final int SENDERS = 20;

  @Test
  void everyAcceptedReportIsStoredDirectly() throws Exception {
    RecordingIntake intake = new RecordingIntake();
    try (HttpsReportReceiver receiver = ReportReceiverLoad.receiver(new InetSocketAddress("127.0.8.10", 0), intake)) {
      ReportReceiverLoad.Result result = ReportReceiverLoad.run(new InetSocketAddress("127.0.8.10", receiver.port()),
          "example.com", REPORTS, SENDERS, id -> RecordingIntake.report(id, "example.com"));
      System.out.println("ReportReceiverLoadIT direct: " + result);

      assertThat(result.accepted()).isEqualTo(REPORTS);
      assertThat(intake.stored()).hasSize((int) result.accepted());
    }
  }

  @Test
  void everyAcceptedReportIsStoredThroughNginx(@TempDir Path dir) throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    RecordingIntake intake = new RecordingIntake();
    try (HttpsReportReceiver receiver = ReportReceiverLoad.receiver(new InetSocketAddress("127.0.8.11", 0), intake)) {
      MtaStsPolicy policy = receiving("example.com");
      OperatorSettings settings = OperatorSettings.defaults()
          .withReportReceiver(URI.create("http://127.0.8.11:" + receiver.port()));
      InetSocketAddress nginxAddress = new InetSocketAddress("127.0.8.12", Ports.free());
      try (LocalNginx nginx = LocalNginx.serve(PolicyConfigMap.desired(policy, settings,
          TestPolicies.published(policy, "20261201000000")).getData(), dir, nginxAddress)) {
        ReportReceiverLoad.Result result = ReportReceiverLoad.run(nginxAddress, "example.com", REPORTS, SENDERS,
            id -> RecordingIntake.report(id, "example.com"));
        System.out.println("ReportReceiverLoadIT through nginx: " + result);

        assertThat(result.accepted()).isEqualTo(REPORTS);
        assertThat(intake.stored()).hasSize((int) result.accepted());
      }
    }
  }
}
