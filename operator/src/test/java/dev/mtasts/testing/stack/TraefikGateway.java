package dev.mtasts.testing.stack;

import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.TestDaemon;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClass;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayClassBuilder;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Traefik (github.com/traefik/traefik/v3, built by test-infra/traefik.sh) as the Gateway API implementation of a
 * test: its kubernetesGateway provider, and no other, programs the Gateways of one GatewayClass and their
 * HTTPRoutes and writes their status, and one entry point, {@code websecure} on port 443 of one address, serves
 * them. v3.7.13 implements Gateway API v1.6.1: GatewayClass, Gateway, HTTPRoute, GRPCRoute, TLSRoute, ReferenceGrant
 * and BackendTLSPolicy of the standard channel. It does not implement ListenerSet: a ListenerSet gets no status and
 * its listeners are not served.
 *
 * <p>What a test can count on (v3.7.13, {@code TraefikGatewayIT}): a listener is served by the entry point whose
 * address ends in the listener's port, so HTTPS listeners on 443 need nothing else (a listener on any other port
 * finds no entry point). Each Gateway's status.addresses is this address (statusAddress), which external-dns's
 * gateway-httproute source publishes. Status comes first: it is written as the provider builds the configuration,
 * about 0.2 s after a change, and the configuration is applied after the providers' throttle (2 s by default, kept),
 * so a route is Accepted about 2 s before it is served. A route to a missing Service is Accepted, ResolvedRefs
 * False, and answered with 500. Traefik connects to the EndpointSlice addresses of a backend Service, so a backend
 * listens on a pod address (10.42.0.0/16, routed to this host by test-infra/setup.sh).
 *
 * <p>The binary is built without the ACME DNS-01 providers and the BasicAuth and DigestAuth middlewares, whose
 * modules cannot be downloaded here (see test-infra/traefik.sh); nothing here uses them.
 */
public final class TraefikGateway implements AutoCloseable {

  /** The controllerName Traefik's provider takes GatewayClasses for. */
  public static final String CONTROLLER_NAME = "traefik.io/gateway-controller";
  /** The port of the entry point with the readiness probe (/ping), on the gateway's address; nothing else is there. */
  static final int PING_PORT = 8082;

  private final TestDaemon process;

  private TraefikGateway(TestDaemon process) {
    this.process = process;
  }

  /**
   * Creates the GatewayClass (controller {@value #CONTROLLER_NAME}) unless it exists, starts Traefik serving on
   * address port 443, and waits until it answers its ping and has accepted the class. Its log (INFO) is
   * traefik.log in dir, its access log traefik-access.log. The Gateway API CRDs must be installed.
   */
  public static TraefikGateway start(KubernetesCluster cluster, String gatewayClassName, InetAddress address,
      Path dir) {
    var classes = cluster.client().resources(GatewayClass.class);
    if (classes.withName(gatewayClassName).get() == null) {
      classes.resource(new GatewayClassBuilder()
          .withNewMetadata().withName(gatewayClassName).endMetadata()
          .withNewSpec().withControllerName(CONTROLLER_NAME).endSpec()
          .build()).create();
    }
    String ip = address.getHostAddress();
    Path log = dir.resolve("traefik.log");
    TestDaemon traefik = TestDaemon.start(command(StackBinaries.cached("traefik", "test-infra/traefik.sh"), ip,
            dir.resolve("traefik-access.log")),
        // Traefik's gateway client reads a kubeconfig file only from KUBECONFIG (there is no flag for one).
        Map.of("KUBECONFIG", cluster.kubeconfigFile().toString()), log,
        () -> pings(URI.create("http://" + ip + ":" + PING_PORT + "/ping")), Duration.ofSeconds(30));
    try {
      TestDaemon.waitUntil(Duration.ofSeconds(60), () -> accepted(classes.withName(gatewayClassName).get()),
          () -> "Traefik did not accept GatewayClass " + gatewayClassName + ": " + lastLines(log));
    } catch (RuntimeException e) {
      traefik.close();
      throw e;
    }
    return new TraefikGateway(traefik);
  }

  static List<String> command(Path binary, String ip, Path accessLog) {
    return List.of(binary.toString(),
        // No calls out: no version check, no usage statistics.
        "--global.checkNewVersion=false",
        "--global.sendAnonymousUsage=false",
        "--entryPoints.websecure.address=" + ip + ":443",
        // The entry point ping (and the dashboard) would take, by default :8080 on every interface.
        "--entryPoints.traefik.address=" + ip + ":" + PING_PORT,
        "--ping=true",
        "--providers.kubernetesGateway=true",
        "--providers.kubernetesGateway.statusAddress.ip=" + ip,
        "--log.level=INFO",
        "--log.noColor=true",
        "--accessLog.filePath=" + accessLog);
  }

  private static boolean pings(URI ping) {
    try {
      HttpURLConnection connection = (HttpURLConnection) ping.toURL().openConnection();
      connection.setConnectTimeout(200);
      connection.setReadTimeout(1000);
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepted(GatewayClass gatewayClass) {
    return gatewayClass != null && gatewayClass.getStatus() != null && gatewayClass.getStatus().getConditions() != null
        && gatewayClass.getStatus().getConditions().stream()
            .anyMatch(c -> "Accepted".equals(c.getType()) && "True".equals(c.getStatus())
                && gatewayClass.getMetadata().getGeneration().equals(c.getObservedGeneration()));
  }

  private static String lastLines(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.close();
  }
}
