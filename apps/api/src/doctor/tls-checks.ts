import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Finding } from "./findings.ts";

const RENEW_WITHIN_DAYS = 14;

/** The certificate and key files, read; what is wrong with them, or the certificate. */
async function readPair(dir: string): Promise<{ problem: Finding } | { certificate: X509Certificate }> {
  const [certificateFile, keyFile] = [path.join(dir, "fullchain.pem"), path.join(dir, "privkey.pem")];
  if (!existsSync(certificateFile) || !existsSync(keyFile)) {
    const message = `only ${existsSync(certificateFile) ? "fullchain.pem" : "privkey.pem"} is in ${dir}`;
    return {
      problem: { severity: "error", subject: "TLS", message, fix: "put both fullchain.pem and privkey.pem there" },
    };
  }
  try {
    const certificate = new X509Certificate(await readFile(certificateFile));
    if (!certificate.checkPrivateKey(createPrivateKey(await readFile(keyFile))))
      return { problem: { severity: "error", subject: "TLS", message: "privkey.pem is not the key of fullchain.pem" } };
    return { certificate };
  } catch (error) {
    const message = `the certificate or its key cannot be read: ${(error as Error).message}`;
    return { problem: { severity: "error", subject: "TLS", message, fix: "PEM files, the key unencrypted" } };
  }
}

function checkCertificate(certificate: X509Certificate, env: Record<string, string>): Finding[] {
  const findings: Finding[] = [];
  const daysLeft = Math.floor((Date.parse(certificate.validTo) - Date.now()) / 86_400_000);
  if (daysLeft < 0)
    findings.push({ severity: "error", subject: "TLS", message: `the certificate expired on ${certificate.validTo}` });
  else if (daysLeft < RENEW_WITHIN_DAYS)
    findings.push({ severity: "warning", subject: "TLS", message: `the certificate expires in ${daysLeft} days` });
  const publicUrl = URL.canParse(env.PUBLIC_URL ?? "") ? new URL(env.PUBLIC_URL!) : undefined;
  if (publicUrl && !certificate.checkHost(publicUrl.hostname))
    findings.push({
      severity: "warning",
      subject: "TLS",
      message: `the certificate is not for ${publicUrl.hostname} (PUBLIC_URL)`,
    });
  if (publicUrl?.protocol !== "https:")
    findings.push({
      severity: "warning",
      subject: "PUBLIC_URL",
      message: "is not https:// although the proxy serves https",
      fix: "PUBLIC_URL=https://<host>",
    });
  if (!env.STATUS_HTTPS_PORT || env.STATUS_HTTPS_PORT.startsWith("127.0.0.1:"))
    findings.push({
      severity: "warning",
      subject: "STATUS_HTTPS_PORT",
      message: "https is published on loopback only",
      fix: "STATUS_HTTP_PORT=80 and STATUS_HTTPS_PORT=443",
    });
  if (findings.every((finding) => finding.severity !== "error"))
    findings.push({
      severity: "ok",
      subject: "TLS",
      message: `https with a certificate valid until ${certificate.validTo}`,
    });
  return findings;
}

/**
 * The reverse proxy's certificate (STATUS_TLS_DIR, default nginx/tls): none is fine (plain http on 3000); otherwise
 * it must be readable, match its key, be valid for PUBLIC_URL's host and not about to expire.
 */
export async function checkCertificates(env: Record<string, string>, root: string): Promise<Finding[]> {
  const dir = path.resolve(root, env.STATUS_TLS_DIR || "./nginx/tls");
  const hasAny = ["fullchain.pem", "privkey.pem"].some((file) => existsSync(path.join(dir, file)));
  if (!hasAny) {
    if (!env.PUBLIC_URL?.startsWith("https://")) return [];
    const message = `PUBLIC_URL is https:// but ${dir} has no certificate: TLS must end in front of the proxy`;
    return [{ severity: "warning", subject: "TLS", message }];
  }
  const pair = await readPair(dir);
  return "problem" in pair ? [pair.problem] : checkCertificate(pair.certificate, env);
}
