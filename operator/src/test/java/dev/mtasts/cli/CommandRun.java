package dev.mtasts.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** One run of the command line, in process, with a fixed clock: exit status, standard output and error. */
record CommandRun(int exitCode, String out, String err) {

  static final Instant NOW = Instant.parse("2026-11-23T07:00:00Z");

  static CommandRun of(String... args) {
    return withStdin("", args);
  }

  static CommandRun withStdin(String stdin, String... args) {
    return withStdin(stdin.getBytes(StandardCharsets.UTF_8), args);
  }

  static CommandRun withStdin(byte[] stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = MtaStsCommand.commandLine(Clock.fixed(NOW, ZoneOffset.UTC), new ByteArrayInputStream(stdin));
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exitCode = cli.execute(args);
    return new CommandRun(exitCode, out.toString(), err.toString());
  }
}
