package dev.mtasts.testing.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mtasts.desired.PolicyConfigMap;
import dev.mtasts.desired.PolicyServerDeployment;
import dev.mtasts.publication.OperatorSettings;
import dev.mtasts.testing.LocalNginx;
import dev.mtasts.testing.Ports;
import dev.mtasts.testing.RawHttp;
import dev.mtasts.testing.TestPolicies;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubelet stand-in's volume rules, from pod spec and ConfigMaps to files, without a cluster. */
class PodVolumesTest {

  static final String SHARED_CONFIG = """
      daemon off;
      pid /tmp/nginx/nginx.pid;
      events {}
      http {
        client_body_temp_path /tmp/nginx/client_body;
        proxy_temp_path /tmp/nginx/proxy;
        fastcgi_temp_path /tmp/nginx/fastcgi;
        uwsgi_temp_path /tmp/nginx/uwsgi;
        scgi_temp_path /tmp/nginx/scgi;
        access_log off;
        default_type text/plain;
        server {
          listen 8080 default_server;
          root /etc/mta-sts/policies;
          location = /.well-known/mta-sts.txt {
            try_files /$host =404;
          }
        }
      }
      """;

  static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("mail").endMetadata()
        .withData(data).build();
  }

  static Function<String, Optional<ConfigMap>> existing(ConfigMap... configMaps) {
    return name -> List.of(configMaps).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst();
  }

  /** The shared policy server pod as the operator is to write it: one projected source per policy. */
  static Pod sharedServer(boolean secondOptional) {
    return new PodBuilder().withNewMetadata().withName("shared-0").withNamespace("mail").endMetadata()
        .withNewSpec()
          .addToVolumes(new VolumeBuilder().withName("conf").withNewConfigMap().withName("mta-sts-shared-server")
              .endConfigMap().build())
          .addToVolumes(new VolumeBuilder().withName("policies").withNewProjected()
              .addNewSource().withNewConfigMap().withName("a-policy").withOptional(false)
                .addNewItem().withKey("mta-sts.txt").withPath("mta-sts.a.example").endItem()
                .addNewItem().withKey("mta-sts.txt").withPath("mta-sts.b.example").endItem()
              .endConfigMap().endSource()
              .addNewSource().withNewConfigMap().withName("c-policy").withOptional(secondOptional)
                .addNewItem().withKey("mta-sts.txt").withPath("mta-sts.c.example").endItem()
              .endConfigMap().endSource()
              .endProjected().build())
          .addToVolumes(new VolumeBuilder().withName("runtime").withNewEmptyDir().endEmptyDir().build())
          .addNewContainer().withName("nginx").withImage(OperatorSettings.DEFAULT_NGINX_IMAGE)
            .withCommand("nginx", "-c", "/etc/mta-sts/conf/nginx.conf")
            .addToVolumeMounts(new VolumeMountBuilder().withName("conf").withMountPath("/etc/mta-sts/conf")
                .withReadOnly(true).build())
            .addToVolumeMounts(new VolumeMountBuilder().withName("policies").withMountPath("/etc/mta-sts/policies")
                .withReadOnly(true).build())
            .addToVolumeMounts(new VolumeMountBuilder().withName("runtime").withMountPath("/tmp/nginx").build())
          .endContainer()
        .endSpec().build();
  }

  static final ConfigMap SHARED_SERVER = configMap("mta-sts-shared-server", Map.of("nginx.conf", SHARED_CONFIG));
  static final ConfigMap A_POLICY = configMap("a-policy", Map.of("mta-sts.txt", "version: STSv1\nmode: enforce\n"));
  static final ConfigMap C_POLICY = configMap("c-policy", Map.of("mta-sts.txt", "version: STSv1\nmode: testing\n"));

  @Test
  void aProjectedKeyAppearsAtEachOfItsPaths() {
    PodVolumes volumes = PodVolumes.of(sharedServer(false), existing(SHARED_SERVER, A_POLICY, C_POLICY));

    assertThat(volumes.problems()).isEmpty();
    assertThat(volumes.files()).containsOnly(
        Map.entry("/etc/mta-sts/conf/nginx.conf", SHARED_CONFIG),
        Map.entry("/etc/mta-sts/policies/mta-sts.a.example", "version: STSv1\nmode: enforce\n"),
        Map.entry("/etc/mta-sts/policies/mta-sts.b.example", "version: STSv1\nmode: enforce\n"),
        Map.entry("/etc/mta-sts/policies/mta-sts.c.example", "version: STSv1\nmode: testing\n"));
    assertThat(volumes.mounts()).extracting(PodVolumes.Mount::source).containsExactly(
        PodVolumes.Source.CONFIG_MAP, PodVolumes.Source.PROJECTED, PodVolumes.Source.EMPTY_DIR);
  }

  @Test
  void aMissingNonOptionalConfigMapKeepsTheContainerFromStarting() {
    PodVolumes volumes = PodVolumes.of(sharedServer(false), existing(SHARED_SERVER, A_POLICY));

    assertThat(volumes.startable()).isFalse();
    assertThat(volumes.problems()).containsExactly("volume \"policies\": configmap \"c-policy\" not found");
  }

  @Test
  void aMissingOptionalConfigMapLeavesOnlyItsFilesOut() {
    PodVolumes volumes = PodVolumes.of(sharedServer(true), existing(SHARED_SERVER, A_POLICY));

    assertThat(volumes.startable()).isTrue();
    assertThat(volumes.files()).containsOnlyKeys("/etc/mta-sts/conf/nginx.conf",
        "/etc/mta-sts/policies/mta-sts.a.example", "/etc/mta-sts/policies/mta-sts.b.example");
  }

  @Test
  void aMissingNonOptionalItemKeyKeepsTheContainerFromStarting() {
    PodVolumes volumes = PodVolumes.of(sharedServer(false),
        existing(SHARED_SERVER, A_POLICY, configMap("c-policy", Map.of("other", "x"))));

    assertThat(volumes.problems())
        .containsExactly("volume \"policies\": configmap \"c-policy\" references non-existent config key: mta-sts.txt");
  }

  @Test
  void theDedicatedPolicyServerSeesItsPolicyAndConfigurationBySubPath() {
    var policy = TestPolicies.enforce("example.com");
    var published = TestPolicies.published(policy, "20260101T000000");
    ConfigMap configMap = PolicyConfigMap.desired(policy, OperatorSettings.defaults(), published);
    var template = PolicyServerDeployment.desired(policy, OperatorSettings.defaults(), published).getSpec()
        .getTemplate();
    Pod pod = new PodBuilder().withMetadata(template.getMetadata()).withSpec(template.getSpec()).build();

    PodVolumes volumes = PodVolumes.of(pod, existing(configMap));

    assertThat(volumes.problems()).isEmpty();
    assertThat(volumes.files()).containsEntry(PolicyServerDeployment.CONFIG_DIR + "/" + PolicyConfigMap.POLICY_KEY,
        configMap.getData().get(PolicyConfigMap.POLICY_KEY));
    assertThat(volumes.mountPaths()).contains(PolicyServerDeployment.CONFIG_DIR + "/" + PolicyConfigMap.POLICY_KEY,
        PolicyServerDeployment.CONFIG_DIR + "/" + PolicyConfigMap.NGINX_KEY, PolicyServerDeployment.RUNTIME_DIR);
  }

  @Test
  void aSubPathMountHoldsOneFileAndIsNeverRefreshed() {
    Pod pod = new PodBuilder(sharedServer(false)).editSpec().editFirstContainer()
        .withVolumeMounts(new VolumeMountBuilder().withName("policies").withMountPath("/srv/a.txt")
            .withSubPath("mta-sts.a.example").build())
        .endContainer().endSpec().build();
    PodVolumes started = PodVolumes.of(pod, existing(SHARED_SERVER, A_POLICY, C_POLICY));
    PodVolumes now = PodVolumes.of(pod, existing(SHARED_SERVER, configMap("a-policy", Map.of("mta-sts.txt", "new")),
        C_POLICY));

    assertThat(started.files()).containsOnly(Map.entry("/srv/a.txt", "version: STSv1\nmode: enforce\n"));
    assertThat(started.mounts().get(0).isFile()).isTrue();
    assertThat(PodVolumes.changes(started, PodVolumes.refreshed(started, now)).isEmpty()).isTrue();
  }

  @Test
  void aSyncRewritesChangedFilesAndRemovesThoseWhoseSourceWentAway() {
    PodVolumes started = PodVolumes.of(sharedServer(true), existing(SHARED_SERVER, A_POLICY, C_POLICY));
    ConfigMap newA = configMap("a-policy", Map.of("mta-sts.txt", "version: STSv1\nmode: none\n"));
    PodVolumes now = PodVolumes.of(sharedServer(true), existing(SHARED_SERVER, newA));

    PodVolumes.FileChanges changes = PodVolumes.changes(started, PodVolumes.refreshed(started, now));

    assertThat(changes.writes()).containsOnly(
        Map.entry("/etc/mta-sts/policies/mta-sts.a.example", "version: STSv1\nmode: none\n"),
        Map.entry("/etc/mta-sts/policies/mta-sts.b.example", "version: STSv1\nmode: none\n"));
    assertThat(changes.deletes()).containsExactly("/etc/mta-sts/policies/mta-sts.c.example");
  }

  @Test
  void aSyncKeepsAVolumeWhoseNonOptionalSourceIsGone() {
    PodVolumes started = PodVolumes.of(sharedServer(false), existing(SHARED_SERVER, A_POLICY, C_POLICY));
    PodVolumes now = PodVolumes.of(sharedServer(false), existing(SHARED_SERVER,
        configMap("a-policy", Map.of("mta-sts.txt", "changed"))));

    assertThat(PodVolumes.refreshed(started, now).files()).isEqualTo(started.files());
  }

  @Test
  void mountPathsMoveUnderThePodRootOnceAndListenBindsThePodAddress() {
    String config = "pid /tmp/nginx/nginx.pid;\nroot /etc/mta-sts/policies;\ninclude /etc/mta-sts/conf/x;\n"
        + "alias /etc/mta-sts/mta-sts.txt;\nlisten 8080 default_server;\nlisten 8081;\n";

    String local = LocalNginx.podConfig(config, Path.of("/pods/p/root"),
        List.of("/etc/mta-sts", "/etc/mta-sts/conf", "/etc/mta-sts/policies", "/tmp/nginx"), "10.42.0.7");

    assertThat(local).isEqualTo("pid /pods/p/root/tmp/nginx/nginx.pid;\nroot /pods/p/root/etc/mta-sts/policies;\n"
        + "include /pods/p/root/etc/mta-sts/conf/x;\nalias /pods/p/root/etc/mta-sts/mta-sts.txt;\n"
        + "listen 10.42.0.7:8080 default_server;\nlisten 10.42.0.7:8081;\n");
  }

  @Test
  void nginxServesEachHostsPolicyFromTheProjectedVolumeAndSeesASync(@TempDir Path dir) throws IOException {
    Pod pod = sharedServer(true);
    PodVolumes started = PodVolumes.of(pod, existing(SHARED_SERVER, A_POLICY, C_POLICY));
    // nginx's workers run unprivileged: they must reach the pod root, as the stack's folders let them.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path root = dir.resolve("root");
    PolicyServerKubelet.layOut(root, started);
    InetSocketAddress listen = new InetSocketAddress("127.0.0.1", Ports.free());
    // The test's own listen port: the pod's 8080 may be taken on this host.
    Files.writeString(root.resolve("etc/mta-sts/conf/nginx.conf"),
        SHARED_CONFIG.replace("listen 8080", "listen " + listen.getPort()));

    try (LocalNginx nginx = LocalNginx.servePod(root, "/etc/mta-sts/conf/nginx.conf", started.mountPaths(),
        listen, dir)) {
      assertThat(policyFor(listen, "mta-sts.b.example")).isEqualTo("200 version: STSv1\nmode: enforce\n");
      assertThat(policyFor(listen, "mta-sts.c.example")).isEqualTo("200 version: STSv1\nmode: testing\n");

      PolicyServerKubelet.refresh(root, started, PodVolumes.of(pod, existing(SHARED_SERVER,
          configMap("a-policy", Map.of("mta-sts.txt", "version: STSv1\nmode: none\n")))));

      assertThat(policyFor(listen, "mta-sts.b.example")).isEqualTo("200 version: STSv1\nmode: none\n");
      assertThat(policyFor(listen, "mta-sts.c.example")).startsWith("404");
      assertThat(root.resolve("etc/mta-sts/policies")).isDirectoryNotContaining("glob:**.tmp");
    }
  }

  private static String policyFor(InetSocketAddress server, String host) {
    RawHttp.Response response = RawHttp.connect(server).head("GET", "/.well-known/mta-sts.txt", host, Map.of())
        .read();
    return response.status() + " " + response.body();
  }
}
