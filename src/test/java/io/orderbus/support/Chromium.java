package io.orderbus.support;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The system's headless Chromium (Debian's {@code chromium} and {@code chromium-driver}; {@code .ci/run} installs
 * them), driven by Selenium with a fresh profile. Nothing is downloaded: the driver and the browser are named by
 * path, so Selenium never runs Selenium Manager (it does so only for a driver it has to find), and the flags keep
 * Chromium from calling home, updating components or syncing. {@link #close()} quits the browser and removes the
 * profile.
 */
public final class Chromium implements AutoCloseable {
  public static final Path BROWSER = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final Path profile;

  private Chromium(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A headless browser with a window of {@code width} x {@code height}; fails naming the packages if missing. */
  public static Chromium start(int width, int height) throws IOException {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException(BROWSER + " or " + DRIVER + " is missing: apt-get install -y chromium "
          + "chromium-driver (.ci/run does)");
    }
    Path profile = Files.createTempDirectory("orderbus-chromium-");
    Files.createDirectories(Path.of("target", "it-logs"));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
        .usingAnyFreePort().withLogFile(new File("target/it-logs/chromedriver.log")).build();
    ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments("--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    try {
      return new Chromium(new ChromeDriver(service, options), profile);
    } catch (RuntimeException e) {
      delete(profile);
      throw e;
    }
  }

  public ChromeDriver driver() {
    return driver;
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      delete(profile);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
