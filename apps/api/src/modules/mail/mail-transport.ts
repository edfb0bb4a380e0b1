import nodemailer from "nodemailer";
import type { Config } from "../../config.ts";
import type { MailMessage } from "./mail-message.ts";

type EnabledMail = Extract<Config["mail"], { isEnabled: true }>;

/**
 * Sends one message through SMTP_URL. A connection per message: mail is rare (state changes, digests), and a fresh
 * connection never inherits a broken one. Throws when the server is unreachable or refuses the message.
 */
export async function sendMail(mail: EnabledMail, to: string, message: MailMessage): Promise<void> {
  const transport = nodemailer.createTransport({
    url: mail.smtpUrl,
    connectionTimeout: mail.timeoutMs,
    greetingTimeout: mail.timeoutMs,
    socketTimeout: mail.timeoutMs,
  });
  try {
    await transport.sendMail({ from: mail.from, to, subject: message.subject, text: message.text, html: message.html });
  } finally {
    transport.close();
  }
}
