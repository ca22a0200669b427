package io.orderbus.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flags of {@code orderbus chaos}.
 *
 * @param duration      how long load and faults run (the settling afterwards comes on top)
 * @param seed          the fault schedule's and the workload's seed: the same seed, the same plan
 * @param rate          orders per second (async and sync together); sign-ups come on top, a quarter of that
 * @param out           where the report, the request history and the node logs go
 * @param settleTimeout how long, after the faults, every order may take to become final and the backlog to drain
 */
record ChaosOptions(Duration duration, long seed, double rate, Path out, Duration settleTimeout) {
  private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  /** Bad command-line input: the command says so and exits 2. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  /** Parses the flags; a flag given twice, unknown or malformed is a {@link UsageException}. */
  static ChaosOptions parse(List<String> args, long defaultSeed) {
    Duration duration = Duration.ofMinutes(10);
    long seed = defaultSeed;
    double rate = 8;
    Path out = Path.of("target", "chaos");
    Duration settleTimeout = Duration.ofMinutes(3);
    List<String> seen = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 2) {
      String flag = args.get(i);
      if (!flag.startsWith("--")) {
        throw new UsageException("unexpected argument '" + flag + "'");
      }
      if (seen.contains(flag)) {
        throw new UsageException(flag + " given twice");
      }
      seen.add(flag);
      if (i + 1 >= args.size()) {
        throw new UsageException(flag + " needs a value");
      }
      String value = args.get(i + 1);
      switch (flag) {
        case "--duration" -> duration = duration(flag, value);
        case "--seed" -> seed = seed(value);
        case "--rate" -> rate = rate(value);
        case "--out" -> out = Path.of(value);
        case "--settle-timeout" -> settleTimeout = duration(flag, value);
        default -> throw new UsageException("unknown flag " + flag);
      }
    }
    return new ChaosOptions(duration, seed, rate, out, settleTimeout);
  }

  /** {@code 10m}, {@code 90s}, {@code 1h30m}, or ISO-8601 ({@code PT2M}); at least a second. */
  static Duration duration(String flag, String value) {
    Duration parsed = null;
    Matcher m = SHORT_DURATION.matcher(value);
    if (!value.isEmpty() && m.matches()) {
      parsed = Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2))).plusSeconds(number(m.group(3)));
    } else if (value.startsWith("P") || value.startsWith("p")) {
      try {
        parsed = Duration.parse(value);
      } catch (java.time.format.DateTimeParseException e) {
        parsed = null;
      }
    }
    if (parsed == null) {
      throw new UsageException(flag + " must be a duration such as 90s, 2m, 1h30m or PT2M, not '" + value + "'");
    }
    if (parsed.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new UsageException(flag + " must be at least 1s, not '" + value + "'");
    }
    return parsed;
  }

  private static long number(String digits) {
    if (digits == null) {
      return 0;
    }
    if (digits.length() > 6) {
      throw new UsageException("duration part '" + digits + "' is too large");
    }
    return Long.parseLong(digits);
  }

  private static long seed(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new UsageException("--seed must be a whole number, not '" + value + "'");
    }
  }

  private static double rate(String value) {
    double rate;
    try {
      rate = Double.parseDouble(value);
    } catch (NumberFormatException e) {
      rate = Double.NaN;
    }
    if (!(rate > 0 && rate <= 200)) {
      throw new UsageException("--rate must be a number of orders per second above 0 and at most 200, not '" + value + "'");
    }
    return rate;
  }
}
