package io.orderbus.messaging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.logging.Formatter;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

/**
 * {@link java.util.logging.SimpleFormatter}'s line with the {@link Trace} id of the work that logged it:
 * {@code [trace=<id>] } before the message when there is one. The format takes SimpleFormatter's arguments, and
 * the tag as the seventh ({@code %7$s}, empty without an id); set it as
 * {@code io.orderbus.messaging.TraceLogFormatter.format}. The id is read when the record is formatted, on the thread
 * that logged it (JUL's console and file handlers publish on the caller's thread), so nothing is spent on it for a
 * record that is not logged. Ids are checked where they enter ({@link TraceId}), so a tag cannot break a line.
 */
public final class TraceLogFormatter extends Formatter {
  private static final String DEFAULT_FORMAT = "%1$tT.%1$tL %4$.4s %3$s: %7$s%5$s%6$s%n";
  private final String format;

  public TraceLogFormatter() {
    String configured = LogManager.getLogManager().getProperty(TraceLogFormatter.class.getName() + ".format");
    this.format = configured == null ? DEFAULT_FORMAT : configured;
  }

  @Override
  public String format(LogRecord record) {
    ZonedDateTime at = ZonedDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault());
    String source = record.getSourceClassName() == null ? record.getLoggerName()
        : record.getSourceClassName() + (record.getSourceMethodName() == null ? "" : " " + record.getSourceMethodName());
    String thrown = "";
    if (record.getThrown() != null) {
      StringWriter text = new StringWriter();
      PrintWriter out = new PrintWriter(text);
      out.println();
      record.getThrown().printStackTrace(out);
      out.close();
      thrown = text.toString();
    }
    String id = Trace.current();
    return String.format(format, at, source, record.getLoggerName(), record.getLevel().getLocalizedName(),
        formatMessage(record), thrown, id == null ? "" : "[trace=" + id + "] ");
  }
}
