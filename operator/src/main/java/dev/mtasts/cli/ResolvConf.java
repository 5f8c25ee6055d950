package dev.mtasts.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The nameservers of a resolv.conf: in a pod, the cluster DNS the policy servers' pods use too. */
final class ResolvConf {

  private ResolvConf() {}

  /** The addresses of its {@code nameserver} lines; none when the file cannot be read. */
  static List<String> nameservers(Path file) {
    try {
      return parse(Files.readAllLines(file));
    } catch (IOException e) {
      return List.of();
    }
  }

  static List<String> parse(List<String> lines) {
    return lines.stream()
        .map(String::trim)
        .filter(l -> l.startsWith("nameserver"))
        .map(l -> l.substring("nameserver".length()).trim())
        .filter(a -> !a.isEmpty() && !a.contains(" "))
        .toList();
  }
}
