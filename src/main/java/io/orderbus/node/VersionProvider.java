package io.orderbus.node;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What every command answers to {@code --version}: the project's version, which Maven writes into {@code orderbus-version.properties}. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getClassLoader().getResourceAsStream("orderbus-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    }
    return new String[] {"orderbus " + properties.getProperty("version", "(unknown version)")};
  }
}
