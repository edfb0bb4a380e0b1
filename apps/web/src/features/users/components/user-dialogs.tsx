import type { User } from "@status/shared";
import { useState } from "react";
import { Alert } from "../../../components/ui/alert.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "../../../components/ui/dialog.tsx";
import { isApiError } from "../../../lib/api-client.ts";
import { useDeleteUser } from "../api/delete-user.ts";
import { CreateUserForm, EditUserForm } from "./user-forms.tsx";

export function CreateUserDialog() {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button>New user</Button>
      </DialogTrigger>
      <DialogContent title="New user" description="A local account that signs in with a username and password.">
        <CreateUserForm onCancel={() => setIsOpen(false)} onCreated={() => setIsOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

export function EditUserDialog({ user }: { user: User }) {
  const [isOpen, setIsOpen] = useState(false);
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>
        <Button variant="secondary" size="sm" aria-label={`Edit ${user.username}`}>
          Edit
        </Button>
      </DialogTrigger>
      <DialogContent title={`Edit ${user.username}`}>
        <EditUserForm user={user} onCancel={() => setIsOpen(false)} onSaved={() => setIsOpen(false)} />
      </DialogContent>
    </Dialog>
  );
}

/** Deleting asks first; the last active administrator cannot be deleted (409 `last_admin`). */
export function DeleteUserDialog({ user }: { user: User }) {
  const [isOpen, setIsOpen] = useState(false);
  const deleteMutation = useDeleteUser({ onSuccess: () => setIsOpen(false) });
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) deleteMutation.reset();
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Delete ${user.username}`}>
          Delete
        </Button>
      </DialogTrigger>
      <DialogContent title={`Delete ${user.username}?`} description="The account and its API tokens are removed. This cannot be undone.">
        {deleteMutation.isError && (
          <Alert title={isApiError(deleteMutation.error, "last_admin") ? "This is the last administrator" : "The user was not deleted"}>
            {deleteMutation.error.message}
          </Alert>
        )}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="danger" isLoading={deleteMutation.isPending} onClick={() => deleteMutation.mutate(user.id)}>
            Delete user
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
