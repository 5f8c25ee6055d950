package dev.mtasts.image;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's Dockerfile, read as far as ContainerImageIT compares it with the Jib image: the ARG defaults
 * before the first FROM and each stage's instructions, with {@code ${ARG}} replaced by the defaults in scope.
 * Not a general Dockerfile parser: no escape directive, heredocs or shell-form quirks, which ours does not use.
 */
record Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {

  private static final Pattern ARG_REFERENCE = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
  private static final Pattern LABEL_PAIR = Pattern.compile("([\\w.-]+)=(\"[^\"]*\"|\\S+)");

  /** One build stage: what FROM names (as written and with the global ARGs replaced) and its instructions. */
  record Stage(String from, String resolvedFrom, List<Instruction> instructions, Map<String, String> args) {

    List<String> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(i -> resolve(i.arguments(), args))
          .toList();
    }

    Optional<String> last(String keyword) {
      List<String> found = all(keyword);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
    }

    /** ENTRYPOINT in exec form (a JSON array); the shell form would run java under /bin/sh, which distroless lacks. */
    List<String> entrypoint() {
      String json = last("ENTRYPOINT").orElseThrow(() -> new AssertionError("the stage has no ENTRYPOINT"));
      try {
        return new ObjectMapper().readValue(json, new TypeReference<List<String>>() {});
      } catch (IOException e) {
        throw new AssertionError("ENTRYPOINT is not in exec form (a JSON array): " + json, e);
      }
    }

    Map<String, String> labels() {
      Map<String, String> labels = new LinkedHashMap<>();
      for (String line : all("LABEL")) {
        Matcher pair = LABEL_PAIR.matcher(line);
        while (pair.find()) {
          labels.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
        }
      }
      return labels;
    }
  }

  record Instruction(String keyword, String arguments) {}

  static Dockerfile read(Path file) {
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Dockerfile parse(List<String> lines) {
    Map<String, String> globalArgs = new LinkedHashMap<>();
    List<Stage> stages = new ArrayList<>();
    List<Instruction> current = null;
    Map<String, String> stageArgs = null;
    for (String logical : logicalLines(lines)) {
      String[] parts = logical.split("\\s+", 2);
      var instruction = new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : "");
      if (instruction.keyword().equals("FROM")) {
        // FROM [--platform=...] image [AS name]
        String image = List.of(instruction.arguments().split("\\s+")).stream().filter(w -> !w.startsWith("--"))
            .findFirst().orElseThrow();
        current = new ArrayList<>();
        stageArgs = new LinkedHashMap<>();
        stages.add(new Stage(image, resolve(image, globalArgs), current, stageArgs));
      } else if (current == null) {
        if (instruction.keyword().equals("ARG")) {
          putArg(globalArgs, instruction.arguments());
        }
      } else {
        if (instruction.keyword().equals("ARG")) {
          putArg(stageArgs, instruction.arguments());
        }
        current.add(instruction);
      }
    }
    return new Dockerfile(globalArgs, stages);
  }

  /** The stage that becomes the image: the last one. */
  Stage runStage() {
    return stages.get(stages.size() - 1);
  }

  private static List<String> logicalLines(List<String> lines) {
    List<String> logical = new ArrayList<>();
    var pending = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && pending.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.add(pending.append(trimmed).toString().strip());
      pending.setLength(0);
    }
    return logical;
  }

  private static void putArg(Map<String, String> args, String declaration) {
    String[] nameAndDefault = declaration.split("=", 2);
    args.put(nameAndDefault[0].strip(), nameAndDefault.length > 1 ? nameAndDefault[1].strip() : "");
  }

  private static String resolve(String text, Map<String, String> args) {
    return ARG_REFERENCE.matcher(text).replaceAll(match -> {
      String name = match.group(1) != null ? match.group(1) : match.group(2);
      return Matcher.quoteReplacement(args.getOrDefault(name, match.group()));
    });
  }
}
