import type { PasswordReset, User } from "@status/shared";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { useResetUserPassword } from "../api/reset-user-password.ts";

/**
 * Resets a user's password: one the administrator types, or (left empty) a temporary one shown once here. Either way
 * the user's sessions end and they must choose their own password when they next sign in.
 */
export function ResetPasswordDialog({ user }: { user: User }) {
  const [isOpen, setIsOpen] = useState(false);
  const [password, setPassword] = useState("");
  const [result, setResult] = useState<PasswordReset | null>(null);
  const reset = useResetUserPassword();
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) {
      setPassword("");
      setResult(null);
      reset.reset();
    }
  };
  const fieldError = isApiError(reset.error) ? reset.error.errors[0] : undefined;
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Reset the password of ${user.username}`}>
          Reset password
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Reset the password of ${user.username}?`}
        description="Their sessions end, and they must choose their own password when they next sign in."
      >
        {result ? (
          <div className="space-y-3">
            {result.temporaryPassword ? (
              <>
                <p className="text-sm">Give {user.username} this temporary password; it is not shown again.</p>
                <p
                  aria-label="Temporary password"
                  className="rounded bg-zinc-100 px-3 py-2 font-mono text-sm dark:bg-zinc-800"
                >
                  {result.temporaryPassword}
                </p>
              </>
            ) : (
              <p className="text-sm">The password you set is in place.</p>
            )}
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {result.endedSessions} {result.endedSessions === 1 ? "session" : "sessions"} ended.
            </p>
            <DialogFooter>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </div>
        ) : (
          <form
            noValidate
            className="space-y-4"
            onSubmit={(event) => {
              event.preventDefault();
              reset.mutate(
                { userId: user.id, body: password ? { password } : {} },
                { onSuccess: (answer) => setResult(answer) },
              );
            }}
          >
            <FormField
              label="New password (optional)"
              hint="Leave empty for a generated temporary password."
              error={fieldError?.message}
            >
              {(control) => (
                <Input
                  {...control}
                  type="text"
                  autoComplete="off"
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                />
              )}
            </FormField>
            {reset.isError && !fieldError && <Alert title="The password was not reset">{reset.error.message}</Alert>}
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="secondary">Cancel</Button>
              </DialogClose>
              <Button type="submit" variant="danger" isLoading={reset.isPending}>
                Reset password
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
