import { useState, type ReactNode } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog.tsx";
import { FormField } from "@/components/ui/form-field.tsx";
import { Textarea } from "@/components/ui/input.tsx";

export interface ReasonDialogProps {
  /** The label of the button that opens the dialog, e.g. "Archive". */
  triggerLabel: string;
  title: string;
  description: string;
  confirmLabel: string;
  /** What happens, in a sentence or two, shown above the reason. */
  consequences: ReactNode;
  isPending: boolean;
  /** Why the last attempt failed, if it did. */
  error: string | null;
  /** Runs the action with the reason typed; call `close` when it succeeded. */
  onConfirm: (reason: string, close: () => void) => void;
  /** Called when the dialog closes, to forget the last attempt (e.g. `mutation.reset`). */
  onClosed: () => void;
}

/** Asks for the reason an action is taken (archive, restore): it is required, and kept in the audit log. */
export function ReasonDialog(props: ReasonDialogProps) {
  const [isOpen, setIsOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [isMissing, setIsMissing] = useState(false);
  const changeOpen = (open: boolean) => {
    setIsOpen(open);
    if (open) return;
    setReason("");
    setIsMissing(false);
    props.onClosed();
  };
  const confirm = () => {
    const trimmed = reason.trim();
    if (!trimmed) return setIsMissing(true);
    props.onConfirm(trimmed, () => changeOpen(false));
  };
  return (
    <Dialog open={isOpen} onOpenChange={changeOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost">{props.triggerLabel}</Button>
      </DialogTrigger>
      <DialogContent title={props.title} description={props.description}>
        <div className="space-y-4">
          <div className="text-sm text-zinc-700 dark:text-zinc-300">{props.consequences}</div>
          <FormField
            label="Reason"
            hint="Kept in the audit log with your name."
            error={isMissing ? "Say why" : undefined}
          >
            {(field) => (
              <Textarea
                {...field}
                value={reason}
                maxLength={1000}
                onChange={(event) => {
                  setReason(event.target.value);
                  setIsMissing(false);
                }}
              />
            )}
          </FormField>
          {props.error && <Alert title={`${props.confirmLabel} failed`}>{props.error}</Alert>}
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button isLoading={props.isPending} onClick={confirm}>
            {props.confirmLabel}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
