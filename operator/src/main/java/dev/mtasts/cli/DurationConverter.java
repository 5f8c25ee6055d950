package dev.mtasts.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses an ISO-8601 duration such as PT10M. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      Duration duration = Duration.parse(value);
      if (duration.isNegative()) {
        throw new TypeConversionException("'" + value + "' is negative");
      }
      return duration;
    } catch (DateTimeParseException e) {
      throw new TypeConversionException("'" + value + "' is not a duration such as PT10M");
    }
  }
}
