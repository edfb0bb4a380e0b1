import type { Role } from "@status/shared";
import { clsx } from "clsx";
import { useState, type ReactNode } from "react";
import { useNavigation } from "react-router";
import { AppHeader } from "./app-header.tsx";
import { SideNav } from "./side-nav.tsx";

interface AppShellProps {
  user: { name: string; role: Role };
  onLogout: () => void;
  isLoggingOut: boolean;
  children: ReactNode;
  headerExtras?: ReactNode;
}

export function AppShell({ user, onLogout, isLoggingOut, children, headerExtras }: AppShellProps) {
  const [isMenuOpen, setIsMenuOpen] = useState(false);
  const isNavigating = useNavigation().state === "loading";
  return (
    <div className="min-h-screen">
      <a
        href="#main-content"
        className="sr-only z-50 rounded bg-white px-3 py-2 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 dark:bg-zinc-900"
      >
        Skip to content
      </a>
      <div
        aria-hidden="true"
        className={clsx(
          "fixed inset-x-0 top-0 z-40 h-0.5 bg-indigo-500 transition-opacity",
          isNavigating ? "animate-pulse opacity-100" : "opacity-0",
        )}
      />
      <AppHeader
        userName={user.name}
        role={user.role}
        isMenuOpen={isMenuOpen}
        onToggleMenu={() => setIsMenuOpen((open) => !open)}
        onLogout={onLogout}
        isLoggingOut={isLoggingOut}
        extras={headerExtras}
      />
      {/* The sidebar column stretches with the page (its border runs to the bottom); the navigation stays in view.
          Below lg (1024 px) it folds into the header's menu, so a tablet's width goes to the page's tables. */}
      <div className="flex min-h-[calc(100vh-3.5rem)]">
        <aside
          id="main-navigation"
          className={clsx(
            "w-full border-zinc-200 bg-white p-3 lg:block lg:w-60 lg:shrink-0 lg:border-r dark:border-zinc-800 dark:bg-zinc-900",
            isMenuOpen ? "absolute z-20 border-b shadow-lg lg:static lg:shadow-none" : "hidden",
          )}
        >
          <div className="lg:sticky lg:top-[calc(3.5rem+0.75rem)] lg:max-h-[calc(100vh-5rem)] lg:overflow-y-auto">
            <SideNav role={user.role} onNavigate={() => setIsMenuOpen(false)} />
          </div>
        </aside>
        <main id="main-content" tabIndex={-1} className="min-w-0 flex-1 px-4 py-6 md:px-6 lg:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}
