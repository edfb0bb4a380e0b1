import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { RootErrorBoundary } from "@/components/errors/root-error-boundary.tsx";

export function AppProvider({ queryClient, children }: { queryClient: QueryClient; children: ReactNode }) {
  return (
    <RootErrorBoundary>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </RootErrorBoundary>
  );
}
