package dev.mtasts.demo;

import static org.awaitility.Awaitility.await;

import dev.mtasts.api.externaldns.DNSEndpoint;
import dev.mtasts.api.v1alpha1.MtaStsPolicy;
import dev.mtasts.desired.ObjectNames;
import dev.mtasts.operator.ServedPolicyCheck;
import dev.mtasts.operator.status.ServedPolicy;
import dev.mtasts.rfc.PolicyHash;
import dev.mtasts.testing.ClusterStandIns;
import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.Kubectl;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.RunningOperator;
import dev.mtasts.testing.ThirdPartyCrds;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The operator's main job on an embedded default, with no cluster of your own: a local kube-apiserver and etcd,
 * the CRD, the operator, and the bundled example. No kubelet, cert-manager or external-dns runs here, so this
 * program stands in for them as the tests do: the policy server "pod" is Debian's nginx on loopback running the
 * ConfigMap the operator wrote, the certificate is marked issued, the DNSEndpoint marked read. It prints the
 * published TXT values, the policy nginx serves and {@code kubectl get mtastspolicies}, then stops everything.
 */
public final class LocalDemo {

  static final String NAMESPACE = "mail";
  static final String EXAMPLE = "examples/single-domain-testing.yaml";
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    say("starting a local kube-apiserver and etcd (kube-api-test, binaries from test-infra/setup.sh)");
    try (KubernetesCluster cluster = KubernetesCluster.start()) {
      say("API server up: " + cluster.description());
      cluster.installOurCrds();
      cluster.installCrds(ThirdPartyCrds.generate());
      var client = cluster.client();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
          .build()).serverSideApply();

      AtomicReference<LocalNginx> nginx = new AtomicReference<>();
      ServedPolicyCheck fetchFromNginx = (namespace, service, port, hash) -> fetch(nginx.get(), hash);
      Path work = Files.createTempDirectory("mta-sts-demo");
      try (RunningOperator operator = RunningOperator.start(cluster, NAMESPACE, fetchFromNginx)) {
        say("operator running; applying " + EXAMPLE);
        MtaStsPolicy policy = client.getKubernetesSerialization()
            .unmarshal(GoldenFile.read(GoldenFile.repoRoot().resolve(EXAMPLE)), MtaStsPolicy.class);
        client.resource(policy).serverSideApply();
        String name = policy.getMetadata().getName();

        ConfigMap configMap = await().atMost(TIMEOUT).until(
            () -> client.configMaps().inNamespace(NAMESPACE).withName(ObjectNames.configMap(policy)).get(),
            cm -> cm != null);
        nginx.set(LocalNginx.serve(configMap.getData(), work));
        say("the policy server pod is nginx on loopback here: " + nginx.get().url(ObjectNames.POLICY_PATH));

        ClusterStandIns standIns = new ClusterStandIns(client, NAMESPACE);
        standIns.finishRollout(ObjectNames.policyServer(policy));
        say("stand-in Deployment controller: rollout finished; stand-in cert-manager: certificate issued");
        standIns.issueCertificate(ObjectNames.certificate(policy));
        DNSEndpoint records = await().atMost(TIMEOUT).until(
            () -> client.resources(DNSEndpoint.class).inNamespace(NAMESPACE).withName(ObjectNames.dnsEndpoint(policy))
                .get(), r -> r != null);
        standIns.readDnsEndpoint(records.getMetadata().getName());
        say("stand-in external-dns: DNSEndpoint read");
        await().atMost(TIMEOUT).until(() -> isReady(client.resources(MtaStsPolicy.class).inNamespace(NAMESPACE)
            .withName(name).get()));

        System.out.println();
        System.out.println("== TXT records published (DNSEndpoint " + records.getMetadata().getName() + ")");
        client.resources(DNSEndpoint.class).inNamespace(NAMESPACE).withName(records.getMetadata().getName()).get()
            .getSpec().getEndpoints().forEach(e -> System.out.println(
                e.getDnsName() + ". " + e.getRecordTTL() + " IN TXT \"" + String.join("\" \"", e.getTargets()) + "\""));
        System.out.println();
        HttpResponse<String> served = get(nginx.get().url(ObjectNames.POLICY_PATH));
        System.out.println("== GET " + ObjectNames.policyUrl(policy.getSpec().getDomains().get(0))
            + " (served by nginx at " + nginx.get().url(ObjectNames.POLICY_PATH) + ")");
        System.out.println("HTTP " + served.statusCode() + ", Content-Type: "
            + served.headers().firstValue("Content-Type").orElse("(none)"));
        System.out.print(served.body().replace("\r\n", "\n"));
        System.out.println();
        System.out.println("== kubectl get mtastspolicies -n " + NAMESPACE + " -o wide");
        System.out.print(Kubectl.run(cluster, "get", "mtastspolicies", "-n", NAMESPACE, "-o", "wide").out());
        System.out.println();
      } finally {
        if (nginx.get() != null) {
          nginx.get().close();
        }
      }
      say("stopping the operator, nginx and the API server");
    }
    say(String.format("done in %.1f s", (System.nanoTime() - started) / 1e9));
  }

  private static boolean isReady(MtaStsPolicy policy) {
    return policy != null && policy.getStatus() != null && policy.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static ServedPolicy fetch(LocalNginx nginx, String expectedHash) {
    if (nginx == null) {
      return new ServedPolicy(ServedPolicy.Outcome.UNREACHABLE, "nginx is not started yet");
    }
    try {
      HttpResponse<String> response = get(nginx.url(ObjectNames.POLICY_PATH));
      boolean current = response.statusCode() == 200 && PolicyHash.ofBody(response.body()).equals(expectedHash);
      return new ServedPolicy(
          current ? ServedPolicy.Outcome.SERVED : ServedPolicy.Outcome.WRONG_POLICY,
          "local nginx " + (current ? "serves the current policy" : "serves another policy"));
    } catch (Exception e) {
      return new ServedPolicy(ServedPolicy.Outcome.UNREACHABLE, e.toString());
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
        .send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void say(String line) {
    System.out.println("demo: " + line);
  }
}
