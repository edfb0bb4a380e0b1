import { Alert } from "./alert.tsx";
import { Button } from "./button.tsx";

interface LoadErrorProps {
  /** E.g. "The scopes could not be loaded". */
  title: string;
  error: Error;
  onRetry: () => void;
}

/** A failed query's message with a way to try it again. */
export function LoadError({ title, error, onRetry }: LoadErrorProps) {
  return (
    <Alert title={title}>
      <p>{error.message}</p>
      <Button variant="secondary" size="sm" className="mt-3" onClick={onRetry}>
        Try again
      </Button>
    </Alert>
  );
}
