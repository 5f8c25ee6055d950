package dev.mtasts.testing.stack;

import dev.mtasts.operator.ReadyEndpoints;

import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.TestDaemon;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.networking.v1.IngressLoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stand-in for an ingress controller's data plane, where none built here runs: Debian's nginx on one loopback
 * address, port 443, terminating TLS for each Ingress host of its class with the certificate in the Secret the
 * Ingress names (cert-manager's), and proxying each path to the ready endpoints of the backend Service, as
 * ingress-nginx does. It reloads on every change of Ingresses, Services, EndpointSlices and Secrets, and writes the
 * Ingress's load-balancer address, which external-dns's ingress source publishes as the host's A record.
 */
public final class IngressFrontEnd implements AutoCloseable {

  private final KubernetesClient client;
  private final String ingressClass;
  private final InetAddress address;
  private final Path dir;
  private final Path configFile;
  private final TestDaemon nginx;
  private final List<SharedIndexInformer<? extends HasMetadata>> informers = new ArrayList<>();
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
      r -> new Thread(r, "ingress-front-end"));
  private final AtomicBoolean pending = new AtomicBoolean();
  private SharedIndexInformer<Ingress> ingresses;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<EndpointSlice> slices;
  private SharedIndexInformer<Secret> secrets;
  private volatile String applied = "";

  private IngressFrontEnd(KubernetesClient client, String ingressClass, InetAddress address, Path dir)
      throws IOException {
    this.client = client;
    this.ingressClass = ingressClass;
    this.address = address;
    this.dir = dir;
    Path runtime = Files.createDirectories(dir.resolve("run"));
    Files.createDirectories(dir.resolve("certs"));
    Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwxrwxrwx"));
    this.configFile = dir.resolve("nginx.conf");
    Files.writeString(configFile, config(List.of()));
    this.nginx = TestDaemon.start(List.of(LocalNginx.binary().toString(), "-c", configFile.toString(), "-e",
        "stderr"), dir.resolve("nginx.log"), () -> Files.exists(runtime.resolve("nginx.pid")));
  }

  /** Serves the Ingresses of ingressClass on address:443. */
  public static IngressFrontEnd start(KubernetesClient client, String ingressClass, InetAddress address, Path dir) {
    try {
      IngressFrontEnd frontEnd = new IngressFrontEnd(client, ingressClass, address, dir);
      frontEnd.ingresses = frontEnd.watch(client.network().v1().ingresses().inAnyNamespace().runnableInformer(0));
      frontEnd.services = frontEnd.watch(client.services().inAnyNamespace().runnableInformer(0));
      frontEnd.slices = frontEnd.watch(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0));
      frontEnd.secrets = frontEnd.watch(client.secrets().inAnyNamespace().runnableInformer(0));
      for (var informer : frontEnd.informers) {
        informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      frontEnd.changed();
      return frontEnd;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("ingress front end did not start", e);
    }
  }

  public InetAddress address() {
    return address;
  }

  private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer) {
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        changed();
      }

      @Override
      public void onUpdate(T old, T obj) {
        changed();
      }

      @Override
      public void onDelete(T obj, boolean unknownFinalState) {
        changed();
      }
    });
    informers.add(informer);
    return informer;
  }

  /** Coalesces bursts of events into one reload, as controllers do. */
  private void changed() {
    if (pending.compareAndSet(false, true)) {
      worker.schedule(this::sync, 20, TimeUnit.MILLISECONDS);
    }
  }

  private void sync() {
    pending.set(false);
    if (ingresses == null || secrets == null || slices == null || services == null) {
      return;
    }
    try {
      List<Ingress> ours = ingresses.getStore().list().stream()
          .filter(i -> ingressClass.equals(i.getSpec().getIngressClassName())).toList();
      String config = config(ours);
      if (!config.equals(applied)) {
        Files.writeString(configFile, config);
        Process reload = new ProcessBuilder(LocalNginx.binary().toString(), "-c", configFile.toString(), "-e",
            "stderr", "-s", "reload").redirectErrorStream(true).start();
        if (reload.waitFor() != 0) {
          throw new IllegalStateException("nginx -s reload: " + new String(reload.getInputStream().readAllBytes(),
              StandardCharsets.UTF_8));
        }
        applied = config;
      }
      ours.forEach(this::publishAddress);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void publishAddress(Ingress ingress) {
    String ip = address.getHostAddress();
    var status = ingress.getStatus();
    boolean has = status != null && status.getLoadBalancer() != null && status.getLoadBalancer().getIngress() != null
        && status.getLoadBalancer().getIngress().stream().anyMatch(lb -> ip.equals(lb.getIp()));
    if (!has) {
      Ingress patch = new IngressBuilder(ingress).withNewStatus().withNewLoadBalancer()
          .withIngress(new IngressLoadBalancerIngressBuilder().withIp(ip).build()).endLoadBalancer().endStatus().build();
      client.network().v1().ingresses().inNamespace(ingress.getMetadata().getNamespace()).resource(patch)
          .updateStatus();
    }
  }

  private String config(List<Ingress> ours) throws IOException {
    Path runtime = dir.resolve("run");
    StringBuilder config = new StringBuilder()
        .append("daemon off;\nworker_processes 1;\npid ").append(runtime).append("/nginx.pid;\n")
        .append("error_log stderr warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n")
        .append("  client_body_temp_path ").append(runtime).append("/body;\n")
        .append("  proxy_temp_path ").append(runtime).append("/proxy;\n")
        .append("  fastcgi_temp_path ").append(runtime).append("/fastcgi;\n")
        .append("  uwsgi_temp_path ").append(runtime).append("/uwsgi;\n")
        .append("  scgi_temp_path ").append(runtime).append("/scgi;\n");
    // Sorted by host, so that an unchanged cluster gives an unchanged configuration (and no reload).
    TreeMap<String, String> servers = new TreeMap<>();
    TreeMap<String, String> upstreamBlocks = new TreeMap<>();
    for (Ingress ingress : ours) {
      String namespace = ingress.getMetadata().getNamespace();
      for (IngressRule rule : ingress.getSpec().getRules()) {
        Optional<Path[]> certificate = certificateFor(namespace, ingress.getSpec().getTls(), rule.getHost());
        if (certificate.isEmpty() || servers.containsKey(rule.getHost())) {
          continue; // no certificate yet: ingress-nginx would present its fake one, which no sender accepts
        }
        StringBuilder server = new StringBuilder()
            .append("  server {\n    listen ").append(address.getHostAddress()).append(":443 ssl;\n")
            .append("    server_name ").append(rule.getHost()).append(";\n")
            .append("    ssl_certificate ").append(certificate.get()[0]).append(";\n")
            .append("    ssl_certificate_key ").append(certificate.get()[1]).append(";\n");
        for (HTTPIngressPath path : rule.getHttp().getPaths()) {
          List<String> upstreams = endpoints(namespace, path.getBackend().getService());
          server.append("    location ").append("Exact".equals(path.getPathType()) ? "= " : "")
              .append(path.getPath()).append(" {\n")
              .append(upstreams.isEmpty() ? "      return 503;\n"
                  // As ingress-nginx does: the backend sees the Host the sender asked for (a shared policy
                  // server answers by it).
                  : "      proxy_set_header Host $host;\n      proxy_pass http://" + upstreamName(namespace, path)
                      + ";\n")
              .append("    }\n");
          if (!upstreams.isEmpty()) {
            StringBuilder block = new StringBuilder("  upstream ").append(upstreamName(namespace, path)).append(" {\n");
            upstreams.forEach(u -> block.append("    server ").append(u).append(";\n"));
            upstreamBlocks.put(upstreamName(namespace, path), block.append("  }\n").toString());
          }
        }
        server.append("    location / { return 404; }\n  }\n");
        servers.put(rule.getHost(), server.toString());
      }
    }
    upstreamBlocks.values().forEach(config::append);
    servers.values().forEach(config::append);
    return config.append("}\n").toString();
  }

  private static String upstreamName(String namespace, HTTPIngressPath path) {
    return (namespace + "_" + path.getBackend().getService().getName() + "_" + path.getPath())
        .replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** The Secret's certificate and key as files, once cert-manager has written them. */
  private Optional<Path[]> certificateFor(String namespace, List<IngressTLS> tls, String host) throws IOException {
    Optional<String> secretName = tls == null ? Optional.empty() : tls.stream()
        .filter(t -> t.getHosts() != null && t.getHosts().contains(host)).map(IngressTLS::getSecretName).findFirst();
    if (secretName.isEmpty()) {
      return Optional.empty();
    }
    Secret secret = secrets.getStore().getByKey(namespace + "/" + secretName.get());
    if (secret == null || secret.getData() == null || !secret.getData().containsKey("tls.crt")
        || !secret.getData().containsKey("tls.key")) {
      return Optional.empty();
    }
    String base = namespace + "_" + secretName.get() + "_" + secret.getMetadata().getResourceVersion();
    Path crt = dir.resolve("certs").resolve(base + ".crt");
    Path key = dir.resolve("certs").resolve(base + ".key");
    if (!Files.exists(crt)) {
      Files.write(key, Base64.getDecoder().decode(secret.getData().get("tls.key")));
      Files.write(crt, Base64.getDecoder().decode(secret.getData().get("tls.crt")));
    }
    return Optional.of(new Path[] {crt, key});
  }

  /** The ready endpoints (address:port) behind the backend's Service port, as kube-proxy would pick them. */
  private List<String> endpoints(String namespace, IngressServiceBackend backend) {
    Service service = services.getStore().getByKey(namespace + "/" + backend.getName());
    if (service == null) {
      return List.of();
    }
    Optional<ServicePort> servicePort = service.getSpec().getPorts().stream()
        .filter(p -> backend.getPort().getName() != null ? backend.getPort().getName().equals(p.getName())
            : Objects.equals(backend.getPort().getNumber(), p.getPort()))
        .findFirst();
    if (servicePort.isEmpty()) {
      return List.of();
    }
    return ReadyEndpoints.of(slices.getStore().list(), namespace, backend.getName(), servicePort.get().getName());
  }

  /** Whether nginx runs the configuration for the cluster as it is now (no change pending). */
  public boolean isCurrent() {
    return !pending.get();
  }

  public InetSocketAddress httpsAddress() {
    return new InetSocketAddress(address, 443);
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
    worker.shutdownNow();
    nginx.close();
  }
}
