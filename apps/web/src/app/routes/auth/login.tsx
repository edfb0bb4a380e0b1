import type { QueryClient } from "@tanstack/react-query";
import { useNavigate, useSearchParams } from "react-router";
import { ThemeToggle } from "@/components/layout/theme-toggle.tsx";
import { useAuthProviders, getAuthProvidersQueryOptions } from "@/features/auth/api/get-providers.ts";
import { GithubSignInButton } from "@/features/auth/components/github-sign-in-button.tsx";
import { LoginForm } from "@/features/auth/components/login-form.tsx";
import { SignInError } from "@/features/auth/components/sign-in-error.tsx";
import { isServerPath, safeNextPath } from "@/features/auth/utils/next-path.ts";

export const clientLoader = (queryClient: QueryClient) => () => {
  void queryClient.prefetchQuery(getAuthProvidersQueryOptions());
  return null;
};

export function LoginRoute() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const providers = useAuthProviders();
  const errorCode = searchParams.get("error");
  const next = safeNextPath(searchParams.get("next"));

  return (
    <div className="flex min-h-screen flex-col items-center justify-center px-4 py-10">
      <title>Sign in · STATUS</title>
      <div className="fixed top-3 right-3">
        <ThemeToggle />
      </div>
      <main className="w-full max-w-sm">
        <p className="mb-1 text-center text-sm font-semibold tracking-widest text-indigo-600 dark:text-indigo-400">
          STATUS
        </p>
        <h1 className="mb-6 text-center text-2xl font-semibold">Sign in</h1>
        <div className="space-y-5 rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          {errorCode && <SignInError code={errorCode} />}
          <LoginForm
            onSuccess={() =>
              isServerPath(next) ? window.location.assign(next) : void navigate(next, { replace: true })
            }
          />
          {providers.data?.github && (
            <>
              <div className="flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
                <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
                or
                <span className="h-px flex-1 bg-zinc-200 dark:bg-zinc-800" />
              </div>
              <GithubSignInButton />
            </>
          )}
        </div>
      </main>
    </div>
  );
}
