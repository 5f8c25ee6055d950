package dev.mtasts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mtasts.rfc.Finding;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints findings for people (one line each) or for machines (--json), and gives the exit status. */
final class FindingReport {

  /** The findings about one input: a file, or a set of TXT records. */
  record Checked(String source, List<Finding> findings) {
    boolean valid() {
      return findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FindingReport() {}

  static int print(List<Checked> results, boolean json, PrintWriter out) {
    if (json) {
      out.println(toJson(results));
    } else {
      for (Checked checked : results) {
        for (Finding finding : checked.findings()) {
          out.println(checked.source() + ": " + finding.severity().name().toLowerCase(java.util.Locale.ROOT) + ": "
              + finding);
        }
        out.println(checked.source() + ": " + (checked.valid() ? "valid" : "INVALID"));
      }
    }
    out.flush();
    return results.stream().allMatch(Checked::valid) ? 0 : 1;
  }

  /** One finding as the --json output of every lint command spells it. */
  static Map<String, Object> findingJson(Finding f) {
    Map<String, Object> finding = new LinkedHashMap<>();
    finding.put("severity", f.severity().name());
    finding.put("location", f.location());
    finding.put("rule", f.rule());
    finding.put("message", f.message());
    return finding;
  }

  private static String toJson(List<Checked> results) {
    List<Map<String, Object>> items = results.stream().map(checked -> {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("source", checked.source());
      item.put("valid", checked.valid());
      item.put("findings", checked.findings().stream().map(FindingReport::findingJson).toList());
      return item;
    }).toList();
    try {
      return JSON.writeValueAsString(items);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
