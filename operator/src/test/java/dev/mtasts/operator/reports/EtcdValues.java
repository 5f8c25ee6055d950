package dev.mtasts.operator.reports;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * What the test cluster's etcd holds under a key, read as etcdctl would (etcd's JSON gateway, /v3/kv/range): the
 * bytes an object really costs. The etcd is the one the test JVM's kube-apiserver was started with
 * (--etcd-servers); there is none when the cluster runs elsewhere (k3s).
 */
final class EtcdValues {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String endpoint;

  private EtcdValues(String endpoint) {
    this.endpoint = endpoint;
  }

  /** The etcd of a kube-apiserver this JVM started, if it is plain HTTP. */
  static Optional<EtcdValues> ofRunningApiServer() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("kube-apiserver")).orElse(false))
        .flatMap(p -> p.info().arguments().map(EtcdValues::etcdServers).stream())
        .flatMap(Optional::stream)
        .map(url -> url.split(",")[0].replace("//0.0.0.0:", "//127.0.0.1:"))
        .filter(url -> url.startsWith("http://"))
        .findFirst()
        .map(EtcdValues::new);
  }

  /** "--etcd-servers URL" or "--etcd-servers=URL". */
  private static Optional<String> etcdServers(String[] arguments) {
    for (int i = 0; i < arguments.length; i++) {
      if (arguments[i].startsWith("--etcd-servers=")) {
        return Optional.of(arguments[i].substring("--etcd-servers=".length()));
      }
      if (arguments[i].equals("--etcd-servers") && i + 1 < arguments.length) {
        return Optional.of(arguments[i + 1]);
      }
    }
    return Optional.empty();
  }

  /** The size of the value stored under {@code key}, empty when there is none. */
  Optional<Integer> size(String key) {
    try {
      String request = "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8))
          + "\"}";
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(endpoint + "/v3/kv/range"))
          .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(request)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      JsonNode kvs = IntakeReports.JSON.readTree(response.body()).path("kvs");
      if (!kvs.isArray() || kvs.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Base64.getDecoder().decode(kvs.get(0).path("value").asText()).length);
    } catch (java.io.IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return endpoint;
  }
}
