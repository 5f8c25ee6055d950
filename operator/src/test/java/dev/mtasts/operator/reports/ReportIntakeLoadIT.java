package dev.mtasts.operator.reports;

import static dev.mtasts.operator.reports.IntakeReports.clean;
import static dev.mtasts.operator.reports.IntakeReports.yesterday;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.api.v1alpha1.TlsRptReport;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.reports.ReportReceiverLoad;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 2000 reports from 20 senders at once on loopback, each new (its own report-id), to the operator's own receiver,
 * parser and cluster store on a real API server: every 201 is one TlsRptReport object, and the figures are
 * printed. {@code dev.mtasts.reports.ReportReceiverLoadIT} is the same load against the in-memory stand-in.
 */
@ExtendWith(RealKubernetes.class)
class ReportIntakeLoadIT {

  static final String NAMESPACE = "report-load";
  static final String RECEIVER_HOST = "127.0.11.10";
  static final int REPORTS = 2000;
  static final int SENDERS = 20;

  @Test
  void everyAcceptedReportIsOneStoredObject(KubernetesCluster cluster) throws Exception {
    KubernetesClient client = cluster.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    int port = Ports.free();
    OperatorSettings settings = OperatorSettings.defaults()
        .withReportReceiver(URI.create("http://" + RECEIVER_HOST + ":" + port));
    try (RunningOperator operator = RunningOperator.start(cluster, NAMESPACE, settings,
        RunningOperator.unreachableService(),
        new MtaStsOperator.Reports(Duration.parse("P31D"), port, Optional.empty()).onHost(RECEIVER_HOST)
            .withDailyLimit(REPORTS + 1))) {
      MtaStsPolicy policy = TestPolicies.receiving("example.com");
      policy.getMetadata().setNamespace(NAMESPACE);
      client.resource(policy).serverSideApply();
      InetSocketAddress receiver = new InetSocketAddress(RECEIVER_HOST, port);
      // The store's informer must have the policy before the first report, or that one is NOT_OURS.
      await().atMost(Duration.ofSeconds(30)).until(() -> ReportIntakeIT.post(receiver, "mta-sts.example.com",
          ReportIntakeIT.JSON, clean("load-warm-up", yesterday(), "example.com")).status() == 201);

      ReportReceiverLoad.Result result = ReportReceiverLoad.run(receiver, "example.com", REPORTS, SENDERS,
          id -> clean(id, yesterday(), "example.com"));
      int stored = client.resources(TlsRptReport.class).inNamespace(NAMESPACE).list().getItems().size() - 1;
      System.out.println("ReportIntakeLoadIT (operator's receiver, parser and cluster store): " + result
          + "; TlsRptReport objects stored " + stored);

      assertThat(result.statuses()).as("every report new, none refused").containsOnlyKeys(201);
      assertThat(stored).as("TlsRptReport objects == 201 answers").isEqualTo(result.accepted());
      assertThat(result.accepted()).isEqualTo(REPORTS);

      // The day's limit (the warm-up and the 2000) is reached: one more new report is turned away, not stored.
      var beyond = ReportIntakeIT.post(receiver, "mta-sts.example.com", ReportIntakeIT.JSON,
          clean("load-beyond-the-limit", yesterday(), "example.com"));
      assertThat(beyond.status()).isEqualTo(503);
      assertThat(client.resources(TlsRptReport.class).inNamespace(NAMESPACE).list().getItems())
          .hasSize(REPORTS + 1);
    } finally {
      // No garbage collector runs here, and one delete of 2000 objects takes longer than the client's 10 s.
      Config config = Config.fromKubeconfig(cluster.kubeconfigYaml());
      config.setRequestTimeout((int) Duration.ofMinutes(2).toMillis());
      try (KubernetesClient patient = new KubernetesClientBuilder().withConfig(config).build()) {
        patient.resources(TlsRptReport.class).inNamespace(NAMESPACE).delete();
      }
    }
  }
}
