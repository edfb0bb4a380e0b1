import { useState, type ReactNode } from "react";
import { Dialog, DialogContent, DialogTrigger } from "./dialog.tsx";

export interface FormDialogProps {
  /** The button that opens the dialog. */
  trigger: ReactNode;
  title: string;
  description?: string;
  /** The form; `close` ends the dialog (on cancel, or once the form has saved). */
  children: (close: () => void) => ReactNode;
}

/** A form in a dialog opened by a button: create and edit dialogs are all this shape. */
export function FormDialog({ trigger, title, description, children }: FormDialogProps) {
  const [isOpen, setIsOpen] = useState(false);
  const close = () => setIsOpen(false);
  return (
    <Dialog open={isOpen} onOpenChange={setIsOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent title={title} {...(description ? { description } : {})}>
        {children(close)}
      </DialogContent>
    </Dialog>
  );
}
