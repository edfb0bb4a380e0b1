import { Alert } from "@/components/ui/alert.tsx";

const MESSAGES: Record<string, { title: string; detail: string }> = {
  github_not_linked: {
    title: "This GitHub account is not linked to a STATUS user",
    detail:
      "Sign in with your username and password, then link GitHub in Settings — or ask an administrator to link it for you.",
  },
  github_disabled: { title: "GitHub sign-in is not enabled", detail: "Sign in with your username and password." },
  github_failed: { title: "GitHub sign-in failed", detail: "GitHub did not complete the sign-in. Please try again." },
  account_disabled: { title: "This account is disabled", detail: "Ask an administrator to enable it." },
};

/** Explains the `?error=<code>` the API appends when it redirects back after a failed GitHub sign-in. */
export function SignInError({ code }: { code: string }) {
  const message = MESSAGES[code] ?? { title: "Sign-in failed", detail: `The server reported: ${code}.` };
  return <Alert title={message.title}>{message.detail}</Alert>;
}
