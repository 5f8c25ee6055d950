package dev.mtasts.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mtasts.image.Dockerfile.Stage;
import dev.mtasts.image.ImageTarball.Entry;
import dev.mtasts.image.ImageTarball.Layer;
import dev.mtasts.testing.GoldenFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image as Jib builds it from operator/pom.xml, and the Dockerfile describing the same image. No
 * Docker engine or registry is reachable here, so the build's pre-integration-test phase writes a one-layer stand-in
 * for the distroless base ({@link TestBaseImage}, target/test-base-image.tar) and runs Jib's buildTar on it
 * ({@code tar://} base image) into target/test-image.tar; this reads both tarballs. What it cannot show: that the
 * real base image has a working {@code java} on PATH, and that {@code docker build} succeeds.
 */
class ContainerImageIT {

  static final Path IMAGE = Path.of("target", "test-image.tar");
  static final Path BASE = Path.of("target", "test-base-image.tar");
  static final Path SHADED_JAR = Path.of("target", "mta-sts-operator.jar");
  static final String JAR_IN_IMAGE = "/app/mta-sts-operator.jar";

  static ImageTarball image;
  static ImageTarball base;

  @BeforeAll
  static void readTarballs() throws IOException {
    assertThat(IMAGE).as("Jib's test-image execution writes it in pre-integration-test; run ./mvnw verify").exists();
    assertThat(BASE).as("TestBaseImage writes it in pre-integration-test; run ./mvnw verify").exists();
    image = ImageTarball.read(IMAGE);
    base = ImageTarball.read(BASE);
  }

  @Test
  void runsTheShadedJarAsNonRootFromApp() {
    JsonNode config = image.config().get("config");
    assertThat(strings(config.get("Entrypoint"))).as("the chart's args follow it: run --leader-election=...")
        .containsExactly("java", "-jar", JAR_IN_IMAGE);
    assertThat(config.has("Cmd")).as("no default arguments: %s", config).isFalse();
    assertThat(config.get("User").asText()).as("the chart's runAsUser and runAsGroup").isEqualTo("65532:65532");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/app");
    assertThat(labels(config)).containsOnlyKeys("org.opencontainers.image.title",
            "org.opencontainers.image.version", "org.opencontainers.image.source",
            "org.opencontainers.image.licenses")
        .containsEntry("org.opencontainers.image.title", "mta-sts-operator")
        .hasEntrySatisfying("org.opencontainers.image.version", v -> assertThat(v).isNotBlank());
    assertThat(strings(config.get("Env"))).as("the base image's environment is kept")
        .containsExactly(TestBaseImage.PATH_ENV);
  }

  @Test
  void addsOneLayerHoldingTheShadedJarAlone() throws IOException {
    List<String> baseIds = base.layers().stream().map(Layer::diffId).toList();
    assertThat(image.layers().stream().map(Layer::diffId).toList()).as("the base layers come first, unchanged")
        .startsWith(baseIds.toArray(String[]::new));
    List<Layer> added = image.layers().subList(baseIds.size(), image.layers().size());

    List<List<String>> filesPerLayer = added.stream()
        .map(layer -> layer.regularFiles().stream().map(Entry::name).toList()).toList();
    assertThat(filesPerLayer).as("the files of each layer Jib added; its own (libs/, classes/, resources/, "
        + "jib-classpath-file) are filtered out").containsExactly(List.of("app/mta-sts-operator.jar"));
    Entry jar = added.get(0).regularFiles().get(0);
    assertThat(jar.mode()).as("readable by user 65532, writable by nobody but root").isEqualTo(0644);
    assertThat(List.of(jar.uid(), jar.gid())).containsExactly(0L, 0L);
    assertThat(TestBaseImage.sha256(jar.content())).as("the same bytes as %s", SHADED_JAR)
        .isEqualTo(TestBaseImage.sha256(Files.readAllBytes(SHADED_JAR)));
  }

  @Test
  void theJarInTheImageRunsAsTheOperator(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("mta-sts-operator.jar");
    Files.write(jar, jarInImage().content());
    String version = labels(image.config().get("config")).get("org.opencontainers.image.version");

    assertThat(java(dir, "-jar", jar.toString(), "--version")).isEqualTo("mta-sts-operator " + version + "\n");
    assertThat(java(dir, "-jar", jar.toString(), "run", "--help"))
        .as("the flags the chart's Deployment passes").contains("--[no-]leader-election", "--lease-name=NAME");
  }

  @Test
  void dockerfileDescribesTheSameImage() {
    String imageBase = System.getProperty("mtasts.imageBase");
    assertThat(imageBase).as("image.base from pom.xml, set by failsafe; run through ./mvnw verify").isNotBlank();
    Dockerfile dockerfile = Dockerfile.read(GoldenFile.repoRoot().resolve("Dockerfile"));
    JsonNode config = image.config().get("config");

    Stage run = dockerfile.runStage();
    assertThat(run.resolvedFrom()).as("the Dockerfile's BASE_IMAGE and pom.xml's image.base").isEqualTo(imageBase);
    assertThat(run.last("USER")).contains(config.get("User").asText());
    assertThat(run.last("WORKDIR")).contains(config.get("WorkingDir").asText());
    assertThat(run.entrypoint()).isEqualTo(strings(config.get("Entrypoint")));
    assertThat(run.labels()).as("labels, with the Dockerfile's ARG defaults").isEqualTo(labels(config));
    assertThat(run.all("COPY")).as("the shaded jar is all it copies")
        .singleElement().asString().startsWith("--from=build ").endsWith(" " + JAR_IN_IMAGE);

    Stage build = dockerfile.stages().get(0);
    assertThat(build.resolvedFrom()).as("a pinned Maven 3.9 on JDK 17")
        .matches("maven:3\\.9\\.\\d+-eclipse-temurin-17");
    assertThat(build.all("RUN")).anySatisfy(command -> assertThat(command).contains("./mvnw -B -DskipTests package"));
    assertThat(run.all("COPY").get(0)).contains(" /src/operator/target/mta-sts-operator.jar ");
  }

  static Entry jarInImage() {
    return image.layers().stream().flatMap(layer -> layer.regularFiles().stream())
        .filter(e -> e.name().equals(JAR_IN_IMAGE.substring(1))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + JAR_IN_IMAGE + " in " + IMAGE));
  }

  static String java(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    Path output = dir.resolve("output.txt");
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished within 60 s", command).isTrue();
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("exit status of %s: %s", command, printed).isZero();
    return printed;
  }

  static List<String> strings(JsonNode array) {
    List<String> strings = new ArrayList<>();
    array.forEach(node -> strings.add(node.asText()));
    return strings;
  }

  static Map<String, String> labels(JsonNode config) {
    Map<String, String> labels = new LinkedHashMap<>();
    config.get("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }
}
