package dev.mtasts.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mtasts.testing.GoldenFile;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Argo CD health check of examples/argocd/argocd-cm-health.yaml (the one copy of the Lua) in Debian's Lua
 * 5.1, the language Argo CD's gopher-lua implements, through src/test/resources/argocd/run-health-check.lua, which
 * gives it only what Argo CD gives it.
 */
final class LuaHealthCheck {

  /** What the check returned: an Argo CD health status and its message. */
  record Health(String status, String message) {}

  static final Path CONFIG_MAP = GoldenFile.repoRoot().resolve("examples/argocd/argocd-cm-health.yaml");
  static final String KEY = "resource.customizations.health.mtasts.dev_MtaStsPolicy";
  static final Path LUA = Path.of("/usr/bin/lua5.1");
  private static final Path RUNNER =
      GoldenFile.repoRoot().resolve("operator/src/test/resources/argocd/run-health-check.lua");
  private static final String SETUP = "run test-infra/setup.sh (it installs Debian's lua5.1 and lua-dkjson)";

  private final Path script;

  private LuaHealthCheck(Path script) {
    this.script = script;
  }

  /** The Lua as users install it: the data key of the example ConfigMap. */
  static String luaSource() {
    ConfigMap configMap = new KubernetesSerialization().unmarshal(GoldenFile.read(CONFIG_MAP), ConfigMap.class);
    String lua = configMap.getData() == null ? null : configMap.getData().get(KEY);
    if (lua == null) {
      throw new IllegalStateException(CONFIG_MAP + " has no data key " + KEY);
    }
    return lua;
  }

  static LuaHealthCheck load() {
    if (!Files.isExecutable(LUA)) {
      throw new IllegalStateException("No " + LUA + ": " + SETUP);
    }
    try {
      Path file = Files.createTempFile("mtasts-argocd-health", ".lua");
      file.toFile().deleteOnExit();
      Files.writeString(file, luaSource(), StandardCharsets.UTF_8);
      return new LuaHealthCheck(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The health Argo CD would show for this object (its JSON, as the API server returns it). */
  Health evaluate(String objectJson) {
    List<String> command = List.of(LUA.toString(), RUNNER.toString(), script.toString());
    try {
      Process process = new ProcessBuilder(command).start();
      try (var in = process.getOutputStream()) {
        in.write(objectJson.getBytes(StandardCharsets.UTF_8));
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("lua5.1 did not finish within 30 s");
      }
      if (err.contains("module 'dkjson' not found")) {
        throw new IllegalStateException("Lua has no dkjson module: " + SETUP);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("lua5.1 exited with " + process.exitValue() + ": " + err + "\nobject: "
            + objectJson);
      }
      JsonNode result = new ObjectMapper().readTree(out);
      return new Health(result.path("status").asText(null), result.path("message").asText(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
