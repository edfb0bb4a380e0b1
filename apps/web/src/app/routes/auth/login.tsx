import type { QueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { useLocation, useNavigate, useSearchParams } from "react-router";
import type { SecondFactorChallenge } from "@status/shared";
import { ThemeToggle } from "@/components/layout/theme-toggle.tsx";
import { useAuthProviders, getAuthProvidersQueryOptions } from "@/features/auth/api/get-providers.ts";
import { GithubSignInButton } from "@/features/auth/components/github-sign-in-button.tsx";
import { OidcSignInButton } from "@/features/auth/components/oidc-sign-in-button.tsx";
import { LoginForm } from "@/features/auth/components/login-form.tsx";
import { SecondFactorStep } from "@/features/auth/components/second-factor-step.tsx";
import { SignInError } from "@/features/auth/components/sign-in-error.tsx";
import { isServerPath, safeNextPath } from "@/features/auth/utils/next-path.ts";

export const clientLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getAuthProvidersQueryOptions());
  return null;
};

type Challenge = SecondFactorChallenge["secondFactor"];

/** GitHub sign-in that still owes a second factor comes back as /login#pendingToken=…&purpose=…. */
function challengeFromHash(hash: string): Challenge | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const pendingToken = params.get("pendingToken");
  const purpose = params.get("purpose");
  if (!pendingToken || (purpose !== "verify" && purpose !== "enrol")) return null;
  return { pendingToken, purpose, expiresAt: "" };
}

export function LoginRoute() {
  const [searchParams] = useSearchParams();
  const { hash, search } = useLocation();
  const navigate = useNavigate();
  const providers = useAuthProviders();
  const errorCode = searchParams.get("error");
  const next = safeNextPath(searchParams.get("next"));
  const [challenge, setChallenge] = useState<Challenge | null>(() => challengeFromHash(hash));
  // The pending token should not linger in the address bar or the history once it has been read.
  useEffect(() => {
    if (challengeFromHash(hash)) void navigate({ search, hash: "" }, { replace: true });
  }, [hash, search, navigate]);
  const goOn = () => (isServerPath(next) ? window.location.assign(next) : void navigate(next, { replace: true }));

  if (challenge)
    return (
      <LoginLayout title="Two-factor sign-in">
        <SecondFactorStep challenge={challenge} onSignedIn={goOn} onRestart={() => setChallenge(null)} />
      </LoginLayout>
    );

  return (
    <LoginLayout title="Sign in">
      {errorCode && <SignInError code={errorCode} />}
      <LoginForm onSuccess={(outcome) => ("secondFactor" in outcome ? setChallenge(outcome.secondFactor) : goOn())} />
      {(providers.data?.github || providers.data?.oidc) && (
        <>
          <div className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
            or
            <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
          </div>
          {providers.data.oidc && <OidcSignInButton providerName={providers.data.oidc.name} />}
          {providers.data.github && <GithubSignInButton />}
        </>
      )}
    </LoginLayout>
  );
}

function LoginLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <title>{`${title} · STATUS`}</title>
      <div className="fixed top-3 right-3">
        <ThemeToggle />
      </div>
      <main className="w-full max-w-sm">
        <p className="mb-1 text-center text-sm font-semibold tracking-widest text-indigo-600 dark:text-indigo-400">
          STATUS
        </p>
        <h1 className="mb-6 text-center text-2xl font-semibold">{title}</h1>
        <div className="space-y-5 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {children}
        </div>
      </main>
    </div>
  );
}
