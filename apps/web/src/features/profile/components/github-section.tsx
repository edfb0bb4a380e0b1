import type { Me } from "@status/shared";
import { useSearchParams } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Button, buttonVariants } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { IntegrationNotice, isUnconfigured, useIntegration } from "@/features/system/index.ts";
import { API_BASE_URL } from "@/lib/api-client.ts";
import { useUnlinkGithub } from "../api/unlink-github.ts";

/** What the API's redirect back from GitHub (`/profile?github=<code>`) means. */
const LINK_OUTCOMES: Record<string, { variant: "info" | "error"; text: string }> = {
  linked: { variant: "info", text: "Your GitHub account is linked: you can now sign in with GitHub." },
  duplicate: { variant: "error", text: "That GitHub account is already linked to another user." },
};

/** The profile's GitHub section: link an account (the OAuth round trip with link=true) or unlink it. */
export function GithubSection({ user }: { user: Me }) {
  const github = useIntegration("github");
  const [searchParams] = useSearchParams();
  const unlink = useUnlinkGithub();
  const outcomeCode = searchParams.get("github");
  const outcome = outcomeCode
    ? (LINK_OUTCOMES[outcomeCode] ?? { variant: "error" as const, text: "GitHub could not be linked." })
    : null;
  const isOff = isUnconfigured(github);
  return (
    <section aria-labelledby="github-heading" className="space-y-3">
      <h2 id="github-heading" className="text-lg font-semibold">
        GitHub account
      </h2>
      {outcome && <Alert variant={outcome.variant}>{outcome.text}</Alert>}
      {user.githubLogin ? (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span>
            Linked to <strong>{user.githubLogin}</strong>: you can sign in with GitHub.
          </span>
          <ConfirmDialog
            trigger={
              <Button variant="secondary" size="sm">
                Unlink GitHub
              </Button>
            }
            title="Unlink GitHub?"
            description={`You will no longer be able to sign in as ${user.username} with the GitHub account ${user.githubLogin}.`}
            confirmLabel="Unlink"
            isPending={unlink.isPending}
            error={unlink.isError ? { title: "GitHub was not unlinked", message: unlink.error.message } : null}
            onConfirm={(close) => unlink.mutate(undefined, { onSuccess: close })}
            onClosed={() => unlink.reset()}
          />
        </div>
      ) : (
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <span>No GitHub account is linked.</span>
          {isOff ? (
            <Button variant="secondary" size="sm" disabled>
              Link GitHub
            </Button>
          ) : (
            <a
              href={`${API_BASE_URL}/auth/github?link=true`}
              className={buttonVariants({ variant: "secondary", size: "sm" })}
            >
              Link GitHub
            </a>
          )}
        </div>
      )}
      {github && isOff && !user.githubLogin && <IntegrationNotice integration={github} />}
    </section>
  );
}
