package dev.mtasts.testing;

import io.fabric8.kubeapitest.cert.CertManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * etcd and kube-apiserver run as kube-api-test runs them (same binaries, same flags, its certificate layout), but
 * by us, so that either can be killed and started again: kube-api-test stops both and deletes etcd's data as soon
 * as one exits. Ports and the etcd data and WAL folders are chosen once, so a restarted process comes back at the
 * same address with the same objects, and every client (controllers, kwok, cert-manager, the operator) only has
 * to reconnect. Certificates, data and logs live in the folder given, not in ~/.kubeapitest, so runs side by side
 * do not share them. A restarted process logs to a new numbered file beside the first (kube-apiserver.2.log).
 */
public final class ControlPlane implements AutoCloseable {

  /** kube-api-test's startup timeout, as KubernetesCluster sets it: a cold start on 2 cores takes tens of seconds. */
  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final Path dir;
  private final Path binaries;
  private final CertManager certificates;
  private final List<String> apiServerFlags;
  private final int etcdPort = Ports.free();
  private final int etcdPeerPort = Ports.free();
  private final int apiServerPort = Ports.free();
  private final HttpClient etcdHttp = HttpClient.newHttpClient();
  private final HttpClient apiServerHttp;
  private volatile TestDaemon etcd;
  private volatile TestDaemon apiServer;
  private int etcdStarts;
  private int apiServerStarts;

  private ControlPlane(Path dir, Path binaries, List<String> apiServerFlags) {
    this.dir = dir;
    this.binaries = binaries;
    this.apiServerFlags = List.copyOf(apiServerFlags);
    this.certificates = new CertManager(dir.resolve("certs").toString());
    certificates.createCertificatesIfNeeded();
    this.apiServerHttp = HttpClient.newBuilder().sslContext(trusting(Path.of(certificates.getAPIServerCertPath())))
        // As kube-api-test asks: unauthenticated HTTP/2 is throttled since 1.29 (UnauthenticatedHTTP2DOSMitigation).
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }

  /**
   * Starts etcd, then kube-apiserver with apiServerFlags before kube-api-test's own, and waits until /readyz
   * answers ok. Binaries come from binaries (etcd, kube-apiserver), everything else goes under dir.
   */
  public static ControlPlane start(Path dir, Path binaries, List<String> apiServerFlags) {
    ControlPlane controlPlane;
    try {
      Files.createDirectories(dir.resolve("certs"));
      Files.createDirectories(dir.resolve("etcd"));
      controlPlane = new ControlPlane(dir, binaries, apiServerFlags);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      controlPlane.startEtcd();
      controlPlane.startApiServer();
      return controlPlane;
    } catch (RuntimeException e) {
      controlPlane.close();
      throw e;
    }
  }

  /**
   * A kubeconfig for the cluster admin, as kube-api-test writes it: the server's self-signed certificate as the
   * CA, a client certificate in system:masters.
   */
  public String kubeconfigYaml() {
    return """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mtasts-control-plane
          cluster:
            certificate-authority: %s
            server: %s
        users:
        - name: mtasts-control-plane
          user:
            client-certificate: %s
            client-key: %s
        contexts:
        - name: mtasts-control-plane
          context:
            cluster: mtasts-control-plane
            user: mtasts-control-plane
            namespace: default
        current-context: mtasts-control-plane
        """.formatted(certificates.getAPIServerCertPath(), apiServerUrl(), certificates.getClientCertPath(),
        certificates.getClientKeyPath());
  }

  public String apiServerUrl() {
    return "https://127.0.0.1:" + apiServerPort;
  }

  public Path dir() {
    return dir;
  }

  /** SIGKILLs kube-apiserver and starts it again; returns how long until /readyz answered ok. */
  public Duration restartApiServer() {
    long begin = System.nanoTime();
    killApiServer();
    startApiServer();
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  /**
   * SIGKILLs etcd and starts it again on the same data; returns how long until etcd was healthy and the API server
   * (which stays up, retrying) answered /readyz ok again.
   */
  public Duration restartEtcd() {
    long begin = System.nanoTime();
    killEtcd();
    startEtcd();
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  /**
   * SIGKILLs kube-apiserver and leaves it down: every client sees connections refused until startApiServer. The
   * clients back off meanwhile: after a 20 s outage kube-controller-manager's informers (client-go's reflector
   * backoff, up to 30 s with as much again of jitter) took some 50 s more to act on a changed Deployment, where a
   * plain restart costs seconds; a test that holds an outage must allow for that.
   */
  public synchronized void killApiServer() {
    if (apiServer != null) {
      apiServer.kill();
      apiServer = null;
    }
  }

  /** SIGKILLs etcd and leaves it down: the API server stays up but fails reads and writes, /readyz says why. */
  public synchronized void killEtcd() {
    if (etcd != null) {
      etcd.kill();
      etcd = null;
    }
  }

  /** Starts kube-apiserver at its address and waits until /readyz answers ok. */
  public synchronized void startApiServer() {
    if (apiServer != null) {
      throw new IllegalStateException("kube-apiserver already runs at " + apiServerUrl());
    }
    Path log = log("kube-apiserver", ++apiServerStarts);
    apiServer = TestDaemon.start(apiServerCommand(), log, this::apiServerReady, STARTUP);
  }

  /**
   * Starts etcd on its data and waits until it is healthy and, when kube-apiserver runs, until that answers
   * /readyz ok again (its etcd checks pass and its watch caches are back).
   */
  public synchronized void startEtcd() {
    if (etcd != null) {
      throw new IllegalStateException("etcd already runs on port " + etcdPort);
    }
    Path log = log("etcd", ++etcdStarts);
    etcd = TestDaemon.start(etcdCommand(), log, this::etcdHealthy, STARTUP);
    if (apiServer != null) {
      TestDaemon.waitUntil(STARTUP, this::apiServerReady, () -> "kube-apiserver not ready " + STARTUP
          + " after etcd came back; see " + log("kube-apiserver", apiServerStarts) + " and " + log);
    }
  }

  /** Whether kube-apiserver answers /readyz with 200 (all its checks pass, etcd's included). */
  public boolean apiServerReady() {
    return ok(apiServerHttp, apiServerUrl() + "/readyz");
  }

  private boolean etcdHealthy() {
    return ok(etcdHttp, "http://127.0.0.1:" + etcdPort + "/health");
  }

  private static boolean ok(HttpClient http, String url) {
    try {
      HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2))
          .GET().build(), HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** EtcdProcess's flags, on loopback only and with data and WAL kept under dir instead of fresh temp folders. */
  private List<String> etcdCommand() {
    String peer = "http://localhost:" + etcdPeerPort;
    return List.of(binaries.resolve("etcd").toString(),
        "-data-dir", dir.resolve("etcd/data").toString(),
        "-wal-dir", dir.resolve("etcd/wal").toString(),
        "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
        "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
        // Read on the first start only: a member with data keeps the cluster it has.
        "--initial-cluster", "default=" + peer,
        "--initial-advertise-peer-urls", peer,
        "--listen-peer-urls", peer);
  }

  /** KubeAPIServerProcess's flags: the caller's first, then kube-api-test's own, certificates from our dir. */
  private List<String> apiServerCommand() {
    List<String> command = new ArrayList<>();
    command.add(binaries.resolve("kube-apiserver").toString());
    command.addAll(apiServerFlags);
    String key = certificates.getAPIServerKeyPath();
    command.addAll(List.of(
        // Holds apiserver.crt and apiserver.key, which the server then serves instead of making its own.
        "--cert-dir", dir.resolve("certs").toString(),
        "--secure-port", String.valueOf(apiServerPort),
        "--etcd-servers", "http://127.0.0.1:" + etcdPort,
        "--authorization-mode", "RBAC",
        "--service-account-issuer", "https://localhost",
        "--service-account-signing-key-file", key,
        "--service-account-key-file", key,
        "--service-account-issuer", certificates.getAPIServerCertPath(),
        "--disable-admission-plugins", "ServiceAccount",
        "--client-ca-file", certificates.getClientCertPath(),
        "--service-cluster-ip-range", "10.0.0.0/24",
        "--allow-privileged"));
    return command;
  }

  private Path log(String name, int start) {
    return dir.resolve(start == 1 ? name + ".log" : name + "." + start + ".log");
  }

  private static SSLContext trusting(Path certificate) {
    try (InputStream in = Files.newInputStream(certificate)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("kube-apiserver", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot trust " + certificate, e);
    }
  }

  /** Stops kube-apiserver, then etcd; the folder stays (the stack's temp folder, with the logs to read). */
  @Override
  public synchronized void close() {
    if (apiServer != null) {
      apiServer.close();
      apiServer = null;
    }
    if (etcd != null) {
      etcd.close();
      etcd = null;
    }
  }
}
