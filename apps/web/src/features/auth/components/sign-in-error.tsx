import { Alert } from "@/components/ui/alert.tsx";

const MESSAGES: Record<string, { title: string; detail: string }> = {
  github_not_linked: {
    title: "This GitHub account is not linked to a STATUS user",
    detail:
      "Sign in with your username and password, then link GitHub on your Profile — or ask an administrator to link it for you.",
  },
  github_disabled: { title: "GitHub sign-in is not enabled", detail: "Sign in with your username and password." },
  github_failed: { title: "GitHub sign-in failed", detail: "GitHub did not complete the sign-in. Please try again." },
  account_disabled: { title: "This account is disabled", detail: "Ask an administrator to enable it." },
  oidc_unavailable: {
    title: "The identity provider could not be reached",
    detail: "Single sign-on is unavailable right now. Try again in a moment, or sign in with your password.",
  },
  oidc_denied: {
    title: "The identity provider did not sign you in",
    detail: "The sign-in was cancelled or refused at the provider. Try again.",
  },
  oidc_state_invalid: {
    title: "This sign-in link has expired or was already used",
    detail: "Start the single sign-on again from this page, in the same browser.",
  },
  oidc_token_invalid: {
    title: "The identity provider's answer could not be verified",
    detail:
      "STATUS refused the sign-in because the provider's token was not valid for it. Ask an administrator to check the single sign-on settings.",
  },
  oidc_no_role: {
    title: "Your account has no role in STATUS",
    detail: "None of your groups at the identity provider gives access to STATUS. Ask an administrator to add you.",
  },
  oidc_not_provisioned: {
    title: "No STATUS account belongs to this identity",
    detail: "Ask an administrator to create your account, or to allow accounts to be created on first sign-in.",
  },
  oidc_account_disabled: { title: "This account is disabled", detail: "Ask an administrator to enable it." },
};

/** Explains the `?error=<code>` the API appends when it redirects back after a failed GitHub or single sign-on. */
export function SignInError({ code }: { code: string }) {
  const message = MESSAGES[code] ?? { title: "Sign-in failed", detail: `The server reported: ${code}.` };
  return <Alert title={message.title}>{message.detail}</Alert>;
}
