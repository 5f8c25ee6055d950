package dev.mtasts.readme;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.tuple;

import dev.mtasts.testing.GoldenFile;
import dev.mtasts.testing.Helm;
import dev.mtasts.testing.Kubectl;
import dev.mtasts.testing.KubernetesCluster;
import dev.mtasts.testing.ThirdPartyCrds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's commands stay true. Every command of its {@code sh}, {@code bash} and {@code console} blocks is run
 * here, in the order the README gives them, or is listed in {@link #NOT_RUN} with the reason CI cannot run it; any
 * other command fails, naming its line, so nobody adds an unchecked command.
 *
 * <p>Run as written: the shaded jar's commands, and helm and kubectl (the binaries test-infra/setup.sh builds)
 * against an API server of this class's own, empty as a new cluster is but for what the README's prerequisites
 * install: the cert-manager and external-dns CRDs (stand-ins generated from the operator's models, as every IT
 * uses). So {@code helm install} really installs the chart and {@code kubectl apply} really stores the example.
 * That server runs no kubelet or controller-manager, so what waits for pods is listed, not run.
 */
class ReadmeCommandsIT {

  static final Path README = GoldenFile.repoRoot().resolve("README.md");
  static final String JAR = "operator/target/mta-sts-operator.jar";
  static final Set<String> COMMAND_BLOCKS = Set.of("sh", "bash", "shell", "console");

  /** Commands CI cannot run, exactly as the README writes them (continuations joined, comments dropped). */
  static final Map<String, String> NOT_RUN = Map.ofEntries(
      entry("test-infra/setup.sh",
          "installs Debian packages and builds the Go binaries this test uses; .ci/run runs it before the build"),
      entry("./mvnw verify", "the build this test is part of (.ci/run runs ./mvnw -B verify)"),
      entry("./mvnw -q -Pdemo -DskipTests verify",
          "a second build of several minutes; the demo runs on the harness the integration tests use"),
      entry("./mvnw -q -DskipTests package", "the build that made " + JAR + ", which this test runs"),
      entry("docker build -t registry.example/mta-sts-operator:0.1.0 .", "needs a Docker engine; CI has none"),
      entry("docker push registry.example/mta-sts-operator:0.1.0", "needs a Docker engine and a registry"),
      entry("docker buildx build --platform linux/amd64,linux/arm64 -t registry.example/mta-sts-operator:0.1.0 "
          + "--push .", "needs a Docker engine and a registry"),
      entry("docker load -i operator/target/jib-image.tar", "needs a Docker engine"),
      entry("./mvnw -B -Pimage -DskipTests package -Dimage=registry.example/mta-sts-operator:0.1.0",
          "pulls the base image from gcr.io and pushes to a registry, neither reachable from CI;"
              + " ContainerImageIT builds the same image on a stand-in base"),
      entry("./mvnw -B -DskipTests package jib:buildTar -Dimage=mta-sts-operator:0.1.0",
          "pulls the base image from gcr.io, not reachable from CI; ContainerImageIT runs buildTar on a stand-in"
              + " base"),
      entry("kubectl -n mta-sts rollout status deployment/mta-sts-operator",
          "waits for pods: the test API server runs no kubelet or controller-manager"),
      entry("kubectl -n mail wait mtastspolicy/example-com --for=condition=Ready --timeout=15m",
          "needs the operator running on a cluster with nodes, cert-manager and external-dns;"
              + " MtaStsPolicyReconcilerIT follows the way to Ready with stand-ins"),
      entry("curl https://mta-sts.example.com/.well-known/mta-sts.txt",
          "needs the Internet; PolicyServedByNginxIT fetches the policy from a real nginx"),
      entry("dig +short TXT _mta-sts.example.com", "needs public DNS; CI reaches none"),
      entry("java -jar " + JAR + " check example.com",
          "audits a live domain over the Internet; CheckCommandIT runs check against local DNS, nginx and postfix"),
      entry("kubectl -n mta-sts logs deployment/mta-sts-operator", "needs a running pod: no kubelet"));

  static KubernetesCluster cluster;
  @TempDir static Path home;

  @BeforeAll
  static void emptyClusterWithTheCrdsOfThePrerequisites() {
    cluster = KubernetesCluster.start();
    cluster.installCrds(ThirdPartyCrds.generate());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  static List<Command> readmeCommands() {
    List<Command> commands = commands(readme());
    assertThat(commands).as("commands found in README.md").hasSizeGreaterThan(20);
    return commands;
  }

  /** In README order, since later commands use what earlier ones installed, as a reader's would. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("readmeCommands")
  void everyReadmeCommandRunsOrSaysWhyNot(Command command) throws Exception {
    String reason = NOT_RUN.get(command.text());
    if (reason != null) {
      Assumptions.abort("not run by CI: " + reason);
    }
    Optional<List<String>> executable = executable(command.words());
    if (executable.isEmpty()) {
      fail("README.md:%d: `%s` is neither a command this test runs (java -jar %s, helm, kubectl) nor listed in"
          + " ReadmeCommandsIT.NOT_RUN with the reason CI cannot run it", command.line(), command.text(), JAR);
    }
    if (!command.plain()) {
      fail("README.md:%d: `%s` needs a shell (pipe, redirection, variable or glob): write it as a plain command,"
          + " or list it in ReadmeCommandsIT.NOT_RUN with the reason", command.line(), command.text());
    }
    Run run = run(executable.get());
    assertThat(run.exitCode()).as("README.md:%d: `%s` exited %d:\n%s", command.line(), command.text(),
        run.exitCode(), run.output()).isZero();
  }

  @Test
  void everyNotRunEntryIsStillInTheReadme() {
    Set<String> inReadme = commands(readme()).stream().map(Command::text).collect(Collectors.toSet());

    assertThat(NOT_RUN.keySet()).as("NOT_RUN entries the README no longer has; remove them")
        .allSatisfy(listed -> assertThat(inReadme).contains(listed));
  }

  @Test
  void everyCodeBlockNamesItsLanguage() {
    List<String> lines = readme();
    boolean inBlock = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.startsWith("```")) {
        // An unnamed block could hide a command from this test: sh for commands, text or yaml for the rest.
        assertThat(inBlock || line.length() > 3).as("README.md:%d: a code block without a language", i + 1)
            .isTrue();
        inBlock = !inBlock;
      }
    }
    assertThat(inBlock).as("README.md ends inside a code block").isFalse();
  }

  @Test
  void splitsContinuationsCommentsAndAnd() {
    List<Command> commands = commands(List.of(
        "text",
        "```sh",
        "# a comment line",
        "helm install x \\",
        "  --set a=b   # why",
        "test-infra/setup.sh && ./mvnw verify",
        "java -jar x.jar lint record 'v=STSv1; id=1' | cat",
        "```",
        "```console",
        "$ kubectl get pods",
        "No resources found",
        "```",
        "```yaml",
        "not: a command",
        "```"));

    assertThat(commands).extracting(Command::line, Command::text).containsExactly(
        tuple(4, "helm install x --set a=b"),
        tuple(6, "test-infra/setup.sh"),
        tuple(6, "./mvnw verify"),
        tuple(7, "java -jar x.jar lint record 'v=STSv1; id=1' | cat"),
        tuple(10, "kubectl get pods"));
    assertThat(commands.get(3).words()).containsExactly("java", "-jar", "x.jar", "lint", "record", "v=STSv1; id=1",
        "|", "cat");
    assertThat(commands.get(3).plain()).as("a pipe needs a shell").isFalse();
    assertThat(commands.get(0).plain()).isTrue();
  }

  /** The command line this test starts for a README command, or empty when it runs no such program. */
  private static Optional<List<String>> executable(List<String> words) {
    List<String> rest = words.subList(1, words.size());
    String program = switch (words.get(0)) {
      // The JDK this build runs on: the JDK 17+ the README asks for.
      case "java" -> words.size() > 2 && words.get(1).equals("-jar") && words.get(2).equals(JAR)
          ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : null;
      case "helm" -> Helm.binary().toString();
      case "kubectl" -> Kubectl.binary().toString();
      default -> null;
    };
    if (program == null) {
      return Optional.empty();
    }
    List<String> line = new ArrayList<>(List.of(program));
    line.addAll(rest);
    return Optional.of(line);
  }

  record Run(int exitCode, String output) {}

  private static Run run(List<String> commandLine) throws IOException, InterruptedException {
    Path output = Files.createTempFile(home, "command", ".out");
    ProcessBuilder builder = new ProcessBuilder(commandLine)
        .directory(GoldenFile.repoRoot().toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    // As a user's shell with the cluster's kubeconfig; helm's and kubectl's caches kept out of the real home.
    builder.environment().put("KUBECONFIG", cluster.kubeconfigFile().toString());
    builder.environment().put("HELM_CACHE_HOME", home.resolve("helm-cache").toString());
    builder.environment().put("HELM_CONFIG_HOME", home.resolve("helm-config").toString());
    builder.environment().put("HELM_DATA_HOME", home.resolve("helm-data").toString());
    builder.environment().put("KUBECACHEDIR", home.resolve("kube-cache").toString());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Run(-1, "did not finish within 120 s\n" + Files.readString(output));
    }
    return new Run(process.exitValue(), Files.readString(output));
  }

  private static List<String> readme() {
    try {
      return Files.readAllLines(README);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One command of a code block: where it starts, its text (whitespace collapsed, comment dropped), its words as
   * a shell would pass them, and whether it is plain (no pipe, redirection, variable, glob or background job).
   */
  record Command(int line, String text, List<String> words, boolean plain) {
    @Override
    public String toString() {
      return "README.md:" + line + " " + text;
    }
  }

  /** The commands of every command block, in order: continuations joined, comments dropped, split at && and ;. */
  static List<Command> commands(List<String> markdown) {
    List<Command> commands = new ArrayList<>();
    String language = null;
    StringBuilder pending = null;
    int pendingLine = 0;
    for (int i = 0; i < markdown.size(); i++) {
      String line = markdown.get(i);
      if (line.strip().startsWith("```")) {
        language = language == null ? line.strip().substring(3).strip() : null;
        continue;
      }
      if (language == null || !COMMAND_BLOCKS.contains(language)) {
        continue;
      }
      if (pending == null) {
        if (language.equals("console")) {
          if (!line.startsWith("$ ")) {
            continue; // output shown after a command
          }
          line = line.substring(2);
        }
        pending = new StringBuilder();
        pendingLine = i + 1;
      }
      if (line.endsWith("\\") && !isComment(line)) {
        pending.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      pending.append(line);
      commands.addAll(split(pending.toString(), pendingLine));
      pending = null;
    }
    return commands;
  }

  private static boolean isComment(String line) {
    return line.strip().startsWith("#");
  }

  /** Splits one logical line at && and ; as a POSIX shell would, honouring quotes and dropping a # comment. */
  private static List<Command> split(String logicalLine, int line) {
    List<Command> commands = new ArrayList<>();
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    int start = 0;
    boolean plain = true;
    int i = 0;
    int end = logicalLine.length();
    while (i < logicalLine.length()) {
      char c = logicalLine.charAt(i);
      if (Character.isWhitespace(c)) {
        word = flush(word, words);
        i++;
      } else if (c == '#' && word == null) {
        end = i;
        break;
      } else if (c == '\'') {
        int close = logicalLine.indexOf('\'', i + 1);
        word = append(word, logicalLine.substring(i + 1, close < 0 ? logicalLine.length() : close));
        i = close < 0 ? logicalLine.length() : close + 1;
      } else if (c == '"') {
        i++;
        word = append(word, "");
        while (i < logicalLine.length() && logicalLine.charAt(i) != '"') {
          char d = logicalLine.charAt(i);
          if (d == '\\' && i + 1 < logicalLine.length()) {
            d = logicalLine.charAt(++i);
          } else if (d == '$' || d == '`') {
            plain = false;
          }
          word.append(d);
          i++;
        }
        i++;
      } else if (c == '\\' && i + 1 < logicalLine.length()) {
        word = append(word, String.valueOf(logicalLine.charAt(i + 1)));
        i += 2;
      } else if (logicalLine.startsWith("&&", i) || c == ';') {
        word = flush(word, words);
        addCommand(commands, logicalLine.substring(start, i), words, plain, line);
        words = new ArrayList<>();
        plain = true;
        i += c == ';' ? 1 : 2;
        start = i;
      } else {
        if ("|&<>()$`*?".indexOf(c) >= 0) {
          plain = false;
          if ("|&<>()".indexOf(c) >= 0) {
            word = flush(word, words);
            int operatorEnd = i + 1;
            while (operatorEnd < logicalLine.length() && "|&<>".indexOf(logicalLine.charAt(operatorEnd)) >= 0) {
              operatorEnd++;
            }
            words.add(logicalLine.substring(i, operatorEnd));
            i = operatorEnd;
            continue;
          }
        }
        word = append(word, String.valueOf(c));
        i++;
      }
    }
    flush(word, words);
    addCommand(commands, logicalLine.substring(start, end), words, plain, line);
    return commands;
  }

  private static StringBuilder append(StringBuilder word, String text) {
    return (word == null ? new StringBuilder() : word).append(text);
  }

  private static StringBuilder flush(StringBuilder word, List<String> words) {
    if (word != null) {
      words.add(word.toString());
    }
    return null;
  }

  private static void addCommand(List<Command> commands, String text, List<String> words, boolean plain, int line) {
    if (!words.isEmpty()) {
      commands.add(new Command(line, text.strip().replaceAll("\\s+", " "), List.copyOf(words), plain));
    }
  }
}
