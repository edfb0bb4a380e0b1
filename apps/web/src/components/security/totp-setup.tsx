import type { TotpEnrolment } from "@status/shared";

/** How to add STATUS to an authenticator app: the QR code (made by the API, no third party) and the secret to type. */
export function TotpSetup({ enrolment }: { enrolment: TotpEnrolment }) {
  return (
    <div className="space-y-3 text-sm">
      <p>Scan this QR code with an authenticator app (for example one on your phone), then enter the code it shows.</p>
      <img
        src={enrolment.qrCodeDataUrl}
        alt="QR code for your authenticator app"
        className="size-44 rounded border border-zinc-200 bg-white p-1 dark:border-zinc-700"
      />
      <p>
        Cannot scan? Enter this key instead:{" "}
        <code
          aria-label="Secret key"
          className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono break-all dark:bg-zinc-800"
        >
          {enrolment.secret}
        </code>
      </p>
    </div>
  );
}
