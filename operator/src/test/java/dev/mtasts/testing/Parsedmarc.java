package dev.mtasts.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * parsedmarc (the Python package), an independent SMTP TLS report parser, as installed by test-infra/parsedmarc.sh.
 * Its {@code parse_report_file} reads JSON, gzip and mail alike, as a user of parsedmarc would hand it a file;
 * {@code offline=True} keeps it from DNS and IP lookups, which SMTP TLS reports do not need.
 */
public final class Parsedmarc {

  // One interpreter for all files: importing parsedmarc takes a second or two.
  private static final String SCRIPT = String.join("\n",
      "import json, sys",
      "import parsedmarc",
      "out = {}",
      "for path in sys.argv[1:]:",
      "    try:",
      "        parsed = parsedmarc.parse_report_file(path, offline=True)",
      "        out[path] = {'report_type': parsed['report_type'], 'report': parsed['report']}",
      "    except Exception as e:",
      "        out[path] = {'error': type(e).__name__ + ': ' + str(e)}",
      "print(json.dumps(out, default=str))");

  private Parsedmarc() {}

  /** The venv's interpreter, as the install script names it for the pinned version. */
  public static Path python() {
    Path script = GoldenFile.repoRoot().resolve("test-infra/parsedmarc.sh");
    String printed = run(List.of(script.toString(), "--print-python")).strip();
    Path python = Path.of(printed);
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException("No parsedmarc venv at " + python
          + ": run test-infra/setup.sh (it installs the pinned parsedmarc with test-infra/parsedmarc.sh)");
    }
    return python;
  }

  /** The pinned version, as the venv reports it. */
  public static String version() {
    return run(List.of(python().toString(), "-c",
        "import importlib.metadata as m; print(m.version('parsedmarc'))")).strip();
  }

  /**
   * What parsedmarc makes of each file: {@code {"report_type": "smtp_tls", "report": {...}}} with its own field
   * names (organization_name, report_id, policies[].successful_session_count...), or {@code {"error": "..."}}.
   */
  public static Map<Path, JsonNode> parse(List<Path> files) {
    List<String> command = new ArrayList<>(List.of(python().toString(), "-c", SCRIPT));
    files.forEach(f -> command.add(f.toString()));
    try {
      JsonNode all = new ObjectMapper().readTree(run(command));
      Map<Path, JsonNode> results = new LinkedHashMap<>();
      files.forEach(f -> results.put(f, all.get(f.toString())));
      return results;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(List<String> command) {
    try {
      Path err = Files.createTempFile("parsedmarc", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(command.get(0) + " did not finish within 120 s");
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(2, command.size())))
              + " exited " + process.exitValue() + ":\n" + Files.readString(err));
        }
        return out;
      } finally {
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
