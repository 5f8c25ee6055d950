package dev.mtasts.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven wrote into the jar's manifest. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = MtaStsCommand.class.getPackage().getImplementationVersion();
    return new String[] {"mta-sts-operator " + (version == null ? "(development build)" : version)};
  }
}
