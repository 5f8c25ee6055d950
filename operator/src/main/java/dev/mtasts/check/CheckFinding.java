package dev.mtasts.check;

import dev.mtasts.rfc.Finding;

/** A finding about a live domain, with the one-line fix a person can act on. */
public record CheckFinding(Finding finding, String fix) {

  static CheckFinding error(String location, String rule, String message, String fix) {
    return new CheckFinding(new Finding(Finding.Severity.ERROR, location, rule, message), fix);
  }

  static CheckFinding warning(String location, String rule, String message, String fix) {
    return new CheckFinding(new Finding(Finding.Severity.WARNING, location, rule, message), fix);
  }

  static CheckFinding info(String location, String rule, String message) {
    return new CheckFinding(new Finding(Finding.Severity.INFO, location, rule, message), "");
  }

  static CheckFinding of(Finding finding, String fix) {
    return new CheckFinding(finding, finding.severity() == Finding.Severity.INFO ? "" : fix);
  }

  public boolean isError() {
    return finding.isError();
  }
}
