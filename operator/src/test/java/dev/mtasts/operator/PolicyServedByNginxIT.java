package dev.mtasts.operator;

import static dev.mtasts.testing.TestPolicies.enforce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.rfc.PolicyHash;
import dev.mtasts.rfc.PolicyParser;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.RealKubernetes;
import dev.mtasts.testing.RunningOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes senders get: the ConfigMap the operator wrote, run by Debian's nginx as the pod runs it, serves exactly
 * the policy whose hash is in status, as text/plain, and nothing else, and never redirects.
 */
@ExtendWith(RealKubernetes.class)
class PolicyServedByNginxIT {

  static final String NAMESPACE = "served-by-nginx";
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  static LocalNginx nginx;
  static MtaStsPolicy reconciled;

  @BeforeAll
  static void serveWhatTheOperatorWrote(KubernetesCluster cluster, @TempDir Path dir) {
    var client = cluster.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .serverSideApply();
    MtaStsPolicy policy = enforce("example.com");
    policy.getSpec().setMx(List.of("mx1.example.com", "*.mail.example.com"));
    policy.getMetadata().setNamespace(NAMESPACE);
    try (RunningOperator operator = RunningOperator.start(cluster, NAMESPACE, RunningOperator.unreachableService())) {
      client.resource(policy).serverSideApply();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        reconciled = client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE).withName("example-com").get();
        return reconciled.getStatus() != null && reconciled.getStatus().getPolicyHash() != null
            && client.configMaps().inNamespace(NAMESPACE).withName("example-com-policy").get() != null;
      });
    }
    ConfigMap configMap = client.configMaps().inNamespace(NAMESPACE).withName("example-com-policy").get();
    nginx = LocalNginx.serve(configMap.getData(), dir);
  }

  @AfterAll
  static void stop() {
    if (nginx != null) {
      nginx.close();
    }
  }

  static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(nginx.url(path))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesExactlyThePolicyWhoseHashIsInStatus() throws Exception {
    HttpResponse<String> response = get("/.well-known/mta-sts.txt");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("text/plain");
    assertThat(response.body()).isEqualTo(reconciled.getStatus().getPolicy());
    assertThat(PolicyHash.ofBody(response.body())).isEqualTo(reconciled.getStatus().getPolicyHash());
    assertThat(PolicyParser.parse(response.body()).errors()).isEmpty();
  }

  @Test
  void everyOtherPathIsNotFoundAndNothingRedirects() throws Exception {
    for (String path : List.of("/", "/.well-known", "/.well-known/", "/.well-known/mta-sts.txt/",
        "/.well-known/mta-sts.txt.bak", "/mta-sts.txt", "/nginx.conf", "/index.html")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.headers().firstValue("Location")).as(path).isEmpty();
    }
  }

  @Test
  void aPathAboveTheRootIsRefusedWithoutLeakingTheConfig() throws Exception {
    HttpResponse<String> response = get("/../nginx.conf");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("daemon off");
  }

  @Test
  void onlyGetAndHeadAreServed() throws Exception {
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(nginx.url("/.well-known/mta-sts.txt")))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(URI.create(nginx.url("/.well-known/mta-sts.txt")))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());

    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(head.statusCode()).isEqualTo(200);
  }

  @Test
  void healthPathAnswersForTheLivenessProbe() throws Exception {
    HttpResponse<String> response = get("/healthz");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok\n");
  }
}
