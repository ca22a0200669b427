package io.orderbus.node;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The image the Dockerfile builds runs its node as a user that is not root. No Docker engine runs here (see
 * the README), so this reads the Dockerfile as Docker would: the last {@code USER} of the final stage is the
 * user its container runs as (none means root).
 */
class ContainerImageTest {

  @Test
  void theNodeRunsAsAUserThatIsNotRoot() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("Dockerfile")).stream().map(String::trim)
        .filter(l -> !l.startsWith("#")).toList();
    int finalStage = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("FROM ")) {
        finalStage = i;
      }
    }
    String user = null;
    Pattern userLine = Pattern.compile("^USER\\s+(\\S+)$");
    for (int i = finalStage; i < lines.size(); i++) {
      Matcher m = userLine.matcher(lines.get(i));
      if (m.matches()) {
        user = m.group(1);
      }
    }
    assertThat(user).as("a USER in the final stage").isNotNull();
    String name = user.split(":")[0];
    assertThat(name).isNotIn("root", "0");
    assertThat(user.contains(":") ? user.split(":")[1] : "x").as("group").isNotIn("root", "0");
  }
}
