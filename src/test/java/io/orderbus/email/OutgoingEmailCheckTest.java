package io.orderbus.email;

import io.orderbus.events.Line;

import io.orderbus.email.EmailContract.SendEmail;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The email service's last door before the mail server ({@link EmailService#refusal}): whatever reached the
 * bus without passing the gateway's rules is refused there, as the asker's mistake, not sent.
 */
class OutgoingEmailCheckTest {

  @Test
  void theEmailsThisServiceWritesPass() {
    assertThat(EmailService.refusal(EmailContract.orderReceived("o-1", "ada@example.com", List.of(new Line("book", 1)))))
        .isNull();
    assertThat(EmailService.refusal(EmailContract.welcome("dee@example.com", "Dee O'Neil"))).isNull();
  }

  @Test
  void anAddressOutsideTheRulesIsRefused() {
    assertThat(EmailService.refusal(EmailContract.welcome("dee@example.com,eve@example.com", "Dee"))).contains("to must be");
    assertThat(EmailService.refusal(EmailContract.welcome("dee@example.com>\r\nRCPT TO:<eve@example.com", "Dee")))
        .contains("to must be");
  }

  @Test
  void aSubjectThatWouldAddAHeaderIsRefused() {
    assertThat(EmailService.refusal(EmailContract.welcome("dee@example.com", "Dee\r\nBcc: eve@example.com")))
        .contains("subject");
  }

  @Test
  void missingPartsAreRefused() {
    assertThat(EmailService.refusal(new SendEmail(null, "dee@example.com", "s", "b", null))).contains("required");
  }
}
