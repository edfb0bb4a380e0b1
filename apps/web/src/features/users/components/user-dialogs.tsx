import type { User } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { ConfirmDialog } from "@/components/ui/confirm-dialog.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { isApiError } from "@/lib/api-client.ts";
import { useEndUserSessions } from "../api/end-user-sessions.ts";
import { useResetSecondFactor } from "../api/second-factor-policy.ts";
import { useDeleteUser } from "../api/delete-user.ts";
import { CreateUserForm, EditUserForm } from "./user-forms.tsx";

export function CreateUserDialog() {
  return (
    <FormDialog
      trigger={<Button>New user</Button>}
      title="New user"
      description="A local account that signs in with a username and password."
    >
      {(close) => <CreateUserForm onCancel={close} onCreated={close} />}
    </FormDialog>
  );
}

export function EditUserDialog({ user }: { user: User }) {
  const trigger = (
    <Button variant="secondary" size="sm" aria-label={`Edit ${user.username}`}>
      Edit
    </Button>
  );
  return (
    <FormDialog trigger={trigger} title={`Edit ${user.username}`}>
      {(close) => <EditUserForm user={user} onCancel={close} onSaved={close} />}
    </FormDialog>
  );
}

/** Deleting asks first; the last active administrator cannot be deleted (409 `last_admin`). */
export function DeleteUserDialog({ user }: { user: User }) {
  const deleteMutation = useDeleteUser();
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={`Delete ${user.username}`}>
      Delete
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={`Delete ${user.username}?`}
      description="The account and its API tokens are removed. This cannot be undone."
      confirmLabel="Delete user"
      isPending={deleteMutation.isPending}
      error={
        deleteMutation.isError
          ? {
              title: isApiError(deleteMutation.error, "last_admin")
                ? "This is the last administrator"
                : "The user was not deleted",
              message: deleteMutation.error.message,
            }
          : null
      }
      onConfirm={(close) => deleteMutation.mutate(user.id, { onSuccess: close })}
      onClosed={() => deleteMutation.reset()}
    />
  );
}

/** Signs a user out of every session (a lost laptop, a departure); asks first and says how many sessions ended. */
export function EndUserSessionsDialog({ user }: { user: User }) {
  const endMutation = useEndUserSessions();
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={`Sign out ${user.username} everywhere`}>
      Sign out
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={`Sign out ${user.username} everywhere?`}
      description="Every session of this user ends at once; they must sign in again. Their API tokens keep working."
      confirmLabel="End all sessions"
      isPending={endMutation.isPending}
      error={endMutation.isError ? { title: "The sessions were not ended", message: endMutation.error.message } : null}
      onConfirm={(close) => endMutation.mutate(user.id, { onSuccess: close })}
      onClosed={() => endMutation.reset()}
    />
  );
}

/** Removes a user's second factor (a lost phone); asks first, since it weakens their sign-in until they enrol again. */
export function ResetSecondFactorDialog({ user }: { user: User }) {
  const resetMutation = useResetSecondFactor();
  const trigger = (
    <Button variant="ghost" size="sm" aria-label={`Reset two-factor sign-in of ${user.username}`}>
      Reset 2FA
    </Button>
  );
  return (
    <ConfirmDialog
      trigger={trigger}
      title={`Reset two-factor sign-in of ${user.username}?`}
      description="Their authenticator and recovery codes stop working. They sign in with the password alone, or set up a new second factor if their role requires one."
      confirmLabel="Reset two-factor sign-in"
      isPending={resetMutation.isPending}
      error={
        resetMutation.isError
          ? { title: "Two-factor sign-in was not reset", message: resetMutation.error.message }
          : null
      }
      onConfirm={(close) => resetMutation.mutate(user.id, { onSuccess: close })}
      onClosed={() => resetMutation.reset()}
    />
  );
}
