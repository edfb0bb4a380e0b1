import { useState, type ReactNode } from "react";
import { Alert } from "./alert.tsx";
import { Button } from "./button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "./dialog.tsx";

export interface ConfirmDialogProps {
  /** The button that opens the dialog. */
  trigger: ReactNode;
  title: string;
  description: string;
  confirmLabel: string;
  isPending: boolean;
  /** Shown above the buttons when the last attempt failed. */
  error: { title: string; message: string } | null;
  /** Runs the action; call `close` when it succeeded. */
  onConfirm: (close: () => void) => void;
  /** Called when the dialog closes, to forget the last attempt (e.g. `mutation.reset`). */
  onClosed: () => void;
  /** What the action needs besides a yes, e.g. a reason field; shown above the buttons. */
  children?: ReactNode;
}

/** Asks before an action that cannot be undone (delete, revoke) and shows why it failed, if it did. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [isOpen, setIsOpen] = useState(false);
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (!open) props.onClosed();
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>{props.trigger}</DialogTrigger>
      <DialogContent title={props.title} description={props.description}>
        {props.children}
        {props.error && <Alert title={props.error.title}>{props.error.message}</Alert>}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="danger" isLoading={props.isPending} onClick={() => props.onConfirm(() => changeOpen(false))}>
            {props.confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
