import { Component, type ErrorInfo, type ReactNode } from "react";

interface State {
  hasError: boolean;
}

/** Last resort for errors outside any route (route errors are handled by each route's boundary). */
export class RootErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { hasError: false };

  static getDerivedStateFromError(): State {
    return { hasError: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error("Unhandled error", error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.hasError) return this.props.children;
    return (
      <div role="alert" className="mx-auto max-w-md px-4 py-20 text-center">
        <h1 className="text-xl font-semibold">STATUS stopped working</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">An unexpected error occurred.</p>
        <button type="button" className="mt-4 underline" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
