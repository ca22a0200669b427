package io.orderbus.node;

/**
 * The local launcher's own settings, which no node reads.
 *
 * @param nodes     JVMs it starts (1 to 9)
 * @param childHeap {@code -Xmx} of each
 */
public record LauncherSettings(int nodes, String childHeap) {

  static LauncherSettings read(SettingsReader in) {
    return new LauncherSettings(in.number("nodes"), in.text("childHeap"));
  }
}
