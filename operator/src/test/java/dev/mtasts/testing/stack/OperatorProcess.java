package dev.mtasts.testing.stack;

import dev.mtasts.check.CheckSettings;
import dev.mtasts.check.PublishedRecordsLookup;
import dev.mtasts.operator.MtaStsOperator;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.RestartableDaemon;
import dev.mtasts.testing.TestDaemon;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * One operator replica in a JVM of its own, so that a fault campaign can kill it with SIGKILL, as a node failure
 * or the OOM killer would, and nothing of it lives on in the test's JVM. It runs what {@code run} runs, with
 * leader election and exit when the Lease is lost, with the stack's issuer, its DNS check (through the resolver
 * given, which a campaign can cut) and the MX check. The served-policy check is the stack's
 * {@link EndpointsServedPolicyCheck}, as no kube-proxy runs here. It does not come back by itself: whoever
 * plays the ReplicaSet calls {@link #restart()}.
 */
public final class OperatorProcess implements AutoCloseable {

  private final String identity;
  private final int healthPort;
  private final RestartableDaemon daemon;

  private OperatorProcess(String identity, int healthPort, RestartableDaemon daemon) {
    this.identity = identity;
    this.healthPort = healthPort;
    this.daemon = daemon;
  }

  /**
   * Starts a replica watching namespace, holding the Lease "mta-sts-operator" there when it is the leader, and
   * waits until its health endpoint answers.
   */
  public static OperatorProcess start(RealStack stack, String namespace, String identity,
      InetSocketAddress resolver, Path dir) {
    int healthPort = Ports.free();
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        stack.cluster().kubeconfigFile().toString(), namespace, identity,
        resolver.getAddress().getHostAddress() + ":" + resolver.getPort(), stack.caFile().toString(),
        String.valueOf(healthPort));
    RestartableDaemon daemon = RestartableDaemon.start(n -> TestDaemon.start(command, Path.of(dir.toString(),
        RestartableDaemon.logName("operator-" + identity + ".log", n)), () -> healthy(healthPort),
        Duration.ofSeconds(60)));
    return new OperatorProcess(identity, healthPort, daemon);
  }

  public String identity() {
    return identity;
  }

  /** SIGKILL: no Lease released, no status written on the way out. */
  public void kill() {
    daemon.kill();
  }

  /** Starts it again after {@link #kill()}, as the ReplicaSet's new pod would. */
  public void restart() {
    daemon.start();
  }

  public boolean isRunning() {
    return daemon.isRunning();
  }

  private static boolean healthy(int port) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/healthz")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    daemon.close();
  }

  /** The replica's JVM: kubeconfig namespace identity resolver ca-file health-port. */
  public static final class Main {
    public static void main(String[] args) throws Exception {
      Config config = Config.fromKubeconfig(Files.readString(Path.of(args[0])));
      KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
      String namespace = args[1];
      String[] resolver = args[3].split(":");
      CheckSettings checks = new CheckSettings(
          Optional.of(new InetSocketAddress(resolver[0], Integer.parseInt(resolver[1]))),
          Optional.of(Path.of(args[4])), Duration.ofSeconds(2), 25, Duration.ofDays(14));
      MtaStsOperator operator = new MtaStsOperator(client, new MtaStsOperator.Options(RealStack.operatorSettings(),
          Set.of(namespace), Optional.of(new MtaStsOperator.LeaderElection("mta-sts-operator", namespace, args[2],
              true)), Integer.parseInt(args[5]), -1,
          Optional.of(new MtaStsOperator.MxCheck(checks, Duration.ofSeconds(5))),
          Optional.of(new MtaStsOperator.DnsCheck(checks, PublishedRecordsLookup.Source.AUTHORITATIVE,
              Duration.ofMinutes(5), RealStack.DNS_PUBLISH_TIMEOUT, true))),
          new EndpointsServedPolicyCheck(client), Clock.systemUTC());
      Runtime.getRuntime().addShutdownHook(new Thread(operator::close));
      operator.start();
      new CountDownLatch(1).await();
    }
  }
}
