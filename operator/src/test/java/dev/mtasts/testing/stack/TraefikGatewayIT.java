package dev.mtasts.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.RawHttp;
import dev.mtasts.testing.TestCertificates;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.Gateway;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.GatewayStatusAddress;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ListenerStatus;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traefik's kubernetesGateway provider on a real API server with the standard-channel Gateway API CRDs: a Gateway
 * with an HTTPS listener and an HTTPRoute to a Service are programmed and served with the Gateway's certificate,
 * and the status Traefik writes when a backend, a listener's namespace rule or a certificate is wrong is what
 * these tests assert, for the operator to read.
 */
class TraefikGatewayIT {

  static final String CLASS = "traefik";
  static final String INFRA = "gw-infra";
  static final String APP = "app";
  static final String GATEWAY = "public";
  static final InetAddress ADDRESS = address("127.0.12.1");
  /** A pod address (the API server refuses loopback ones in EndpointSlices), of the backend this test runs. */
  static final InetSocketAddress BACKEND = new InetSocketAddress(address("10.42.12.2"), 8080);
  static final String POLICY = "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400\n";
  static final String POLICY_PATH = "/.well-known/mta-sts.txt";
  static final String HOST = "mta-sts.example.com";
  static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);

  static KubernetesCluster cluster;
  static KubernetesClient client;
  static TraefikGateway traefik;
  static HttpServer backend;
  static SSLContext tls;

  @BeforeAll
  static void start(@TempDir Path dir) throws Exception {
    PodNetwork.requireLocalRoute(Kwok.POD_CIDR);
    backend = HttpServer.create(BACKEND, 0);
    backend.createContext("/", exchange -> {
      boolean policy = POLICY_PATH.equals(exchange.getRequestURI().getPath());
      byte[] body = (policy ? POLICY : "not here\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(policy ? 200 : 404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    backend.start();

    cluster = KubernetesCluster.start();
    client = cluster.client();
    cluster.installGatewayApiCrds();
    for (String namespace : List.of(INFRA, APP)) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    }
    TestCertificates certificates = new TestCertificates();
    tls = trusting(certificates.writeCa(dir.resolve("ca.crt")));
    Path[] wildcard = certificates.issue(dir, "wildcard", Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(86400), "*.example.com");
    client.secrets().inNamespace(INFRA).resource(new SecretBuilder()
        .withNewMetadata().withName("wildcard-tls").endMetadata()
        .withType("kubernetes.io/tls")
        .addToStringData("tls.crt", Files.readString(wildcard[0]))
        .addToStringData("tls.key", Files.readString(wildcard[1]))
        .build()).create();
    // Traefik's log and access log outlive the run, beside the failsafe reports.
    Path logs = Files.createDirectories(Path.of("target", "traefik-gateway-it"));
    traefik = TraefikGateway.start(cluster, CLASS, ADDRESS, logs);
    client.resource(gateway(GATEWAY, "*.example.com", "wildcard-tls", "All")).create();
    backendService();
  }

  @AfterAll
  static void stop() throws Exception {
    if (traefik != null) {
      traefik.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (backend != null) {
      backend.stop(0);
    }
  }

  @Test
  void servesTheRouteWithTheGatewayCertificate() {
    long created = System.nanoTime();
    client.resource(route("policy", GATEWAY, HOST, "backend")).create();

    RouteParentStatus parent = awaitParent("policy", c -> has(c, "ResolvedRefs"));
    long statusWritten = System.nanoTime();
    assertThat(parent.getControllerName()).isEqualTo(TraefikGateway.CONTROLLER_NAME);
    report("route policy", parent.getConditions());
    assertThat(summary(parent.getConditions())).containsExactlyInAnyOrder(
        "Accepted True Accepted ",
        "ResolvedRefs True ResolvedRefs ");

    Gateway gateway = await().atMost(STATUS_TIMEOUT).until(() -> gateway(GATEWAY),
        g -> isTrue(g.getStatus() == null ? null : g.getStatus().getConditions(), "Programmed"));
    assertThat(gateway.getStatus().getAddresses()).extracting(GatewayStatusAddress::getValue)
        .containsExactly(ADDRESS.getHostAddress());
    report("gateway " + GATEWAY, gateway.getStatus().getConditions());
    assertThat(summary(gateway.getStatus().getConditions())).containsExactlyInAnyOrder(
        "Accepted True Accepted Gateway successfully scheduled",
        "Programmed True Programmed Gateway successfully programmed");
    ListenerStatus listener = gateway.getStatus().getListeners().get(0);
    report("gateway " + GATEWAY + " listener " + listener.getName(), listener.getConditions());
    assertThat(summary(listener.getConditions())).containsExactlyInAnyOrder(
        "Accepted True Accepted No error found",
        "ResolvedRefs True ResolvedRefs No error found",
        "Programmed True Programmed No error found");

    RawHttp.Response policy = await().atMost(STATUS_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> get(HOST, POLICY_PATH), r -> r.status() == 200);
    System.out.printf("TraefikGatewayIT: route created, status written after %d ms, served after %d ms%n",
        (statusWritten - created) / 1_000_000, (System.nanoTime() - created) / 1_000_000);
    assertThat(policy.header("content-type")).hasValue("text/plain");
    assertThat(policy.header("location")).isEmpty();
    assertThat(policy.body()).isEqualTo(POLICY);
    assertThat(get(HOST, "/other").status()).isEqualTo(404);
  }

  @Test
  void aMissingBackendServiceIsAnUnresolvedRef() {
    client.resource(route("missing-backend", GATEWAY, "missing-backend.example.com", "no-such-service")).create();

    RouteParentStatus parent = awaitParent("missing-backend", c -> has(c, "ResolvedRefs"));
    report("route missing-backend", parent.getConditions());
    // The route is still Accepted: Traefik programs it and answers its requests itself, with 500.
    assertThat(summary(parent.getConditions())).containsExactlyInAnyOrder(
        "Accepted True Accepted ",
        "ResolvedRefs False BackendNotFound Cannot load HTTPBackendRef app/no-such-service: getting service: "
            + "service \"no-such-service\" not found");
    RawHttp.Response answer = await().atMost(STATUS_TIMEOUT).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
        .until(() -> get("missing-backend.example.com", POLICY_PATH), r -> r.status() != 404);
    assertThat(answer.status()).isEqualTo(500);
  }

  @Test
  void aListenerForItsOwnNamespaceDoesNotAcceptTheRoute() {
    client.resource(gateway("same-namespace", "*.example.org", "wildcard-tls", "Same")).create();
    client.resource(route("not-allowed", "same-namespace", "mta-sts.example.org", "backend")).create();

    RouteParentStatus parent = awaitParent("not-allowed", c -> has(c, "Accepted"));
    report("route not-allowed", parent.getConditions());
    // No message says which listener or rule refused it.
    assertThat(summary(parent.getConditions())).containsExactlyInAnyOrder(
        "Accepted False NotAllowedByListeners ",
        "ResolvedRefs True ResolvedRefs ");
  }

  @Test
  void aListenerWithoutItsCertificateSecretIsAnInvalidCertificateRef() {
    client.resource(gateway("no-certificate", "*.example.net", "no-such-secret", "All")).create();

    Gateway gateway = await().atMost(STATUS_TIMEOUT).until(() -> gateway("no-certificate"),
        g -> g.getStatus() != null && g.getStatus().getListeners() != null && !g.getStatus().getListeners().isEmpty()
            && has(g.getStatus().getListeners().get(0).getConditions(), "ResolvedRefs"));
    report("gateway no-certificate", gateway.getStatus().getConditions());
    ListenerStatus listener = gateway.getStatus().getListeners().get(0);
    report("gateway no-certificate listener " + listener.getName(), listener.getConditions());
    // The listener gets no Accepted condition at all; the Gateway, whose only listener it is, is not accepted.
    assertThat(summary(listener.getConditions())).containsExactlyInAnyOrder(
        "ResolvedRefs False InvalidCertificateRef Cannot load CertificateRef gw-infra/no-such-secret: getting secret: "
            + "secret \"no-such-secret\" not found",
        "Programmed False Invalid Invalid CertificateRefs");
    assertThat(summary(gateway.getStatus().getConditions())).containsExactlyInAnyOrder(
        "Accepted False ListenersNotValid At least one Listener must be valid",
        "Programmed False Invalid No Listener is valid");
  }

  static Gateway gateway(String name, String hostname, String secret, String from) {
    return new GatewayBuilder()
        .withNewMetadata().withName(name).withNamespace(INFRA).endMetadata()
        .withNewSpec().withGatewayClassName(CLASS)
        .addNewListener().withName("https").withProtocol("HTTPS").withPort(443).withHostname(hostname)
        .withNewTls().withMode("Terminate").addNewCertificateRef().withName(secret).endCertificateRef().endTls()
        .withNewAllowedRoutes().withNewNamespaces().withFrom(from).endNamespaces().endAllowedRoutes()
        .endListener()
        .endSpec()
        .build();
  }

  static HTTPRoute route(String name, String gateway, String hostname, String service) {
    return new HTTPRouteBuilder()
        .withNewMetadata().withName(name).withNamespace(APP).endMetadata()
        .withNewSpec()
        .addNewParentRef().withName(gateway).withNamespace(INFRA).endParentRef()
        .withHostnames(hostname)
        .addNewRule()
        .addNewMatch().withNewPath().withType("Exact").withValue(POLICY_PATH).endPath().endMatch()
        .addNewBackendRef().withName(service).withPort(80).endBackendRef()
        .endRule()
        .endSpec()
        .build();
  }

  /** A Service without selector and the EndpointSlice an endpoint controller would write for the backend. */
  static void backendService() {
    client.resource(new ServiceBuilder()
        .withNewMetadata().withName("backend").withNamespace(APP).endMetadata()
        .withNewSpec().withType("ClusterIP")
        .addNewPort().withName("http").withProtocol("TCP").withPort(80)
        .withNewTargetPort(BACKEND.getPort()).endPort()
        .endSpec()
        .build()).create();
    client.resource(new EndpointSliceBuilder()
        .withNewMetadata().withName("backend-1").withNamespace(APP)
        .addToLabels("kubernetes.io/service-name", "backend")
        .addToLabels("endpointslice.kubernetes.io/managed-by", "traefik-gateway-it")
        .endMetadata()
        .withAddressType("IPv4")
        .addNewEndpoint().withAddresses(BACKEND.getAddress().getHostAddress())
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .endEndpoint()
        .addNewPort().withName("http").withProtocol("TCP").withPort(BACKEND.getPort()).endPort()
        .build()).create();
  }

  static Gateway gateway(String name) {
    return client.resources(Gateway.class).inNamespace(INFRA).withName(name).get();
  }

  /** The route's status for its one parent, once the condition test holds for it. */
  static RouteParentStatus awaitParent(String route, Predicate<List<Condition>> test) {
    return await().atMost(STATUS_TIMEOUT).until(() -> {
      HTTPRoute r = client.resources(HTTPRoute.class).inNamespace(APP).withName(route).get();
      return r.getStatus() == null || r.getStatus().getParents() == null ? null : r.getStatus().getParents().stream()
          .filter(p -> test.test(p.getConditions())).findFirst().orElse(null);
    }, p -> p != null);
  }

  /** Each condition as "type status reason message", the order Traefik writes them in left out. */
  static List<String> summary(List<Condition> conditions) {
    return conditions.stream()
        .map(c -> c.getType() + " " + c.getStatus() + " " + c.getReason() + " " + Optional.ofNullable(c.getMessage())
            .orElse(""))
        .toList();
  }

  static boolean has(List<Condition> conditions, String type) {
    return condition(conditions, type).isPresent();
  }

  static boolean isTrue(List<Condition> conditions, String type) {
    return condition(conditions, type).filter(c -> "True".equals(c.getStatus())).isPresent();
  }

  static Optional<Condition> condition(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** What Traefik wrote, in the test output: the operator folds these into its own status. */
  static void report(String what, List<Condition> conditions) {
    for (Condition c : conditions) {
      System.out.printf("TraefikGatewayIT: %s: %s=%s reason=%s message=%s observedGeneration=%s%n", what,
          c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getObservedGeneration());
    }
  }

  static RawHttp.Response get(String host, String path) {
    try (RawHttp connection = RawHttp.connectTls(new InetSocketAddress(ADDRESS, 443), tls, host)) {
      return connection.head("GET", path, host, Map.of()).read();
    }
  }

  static SSLContext trusting(Path caFile) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    store.setCertificateEntry("ca", (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caFile))));
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
