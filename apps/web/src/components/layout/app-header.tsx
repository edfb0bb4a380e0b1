import type { Role } from "@status/shared";
import type { ReactNode } from "react";
import { Link } from "react-router";
import { Badge } from "../ui/badge.tsx";
import { Button } from "../ui/button.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

interface AppHeaderProps {
  userName: string;
  role: Role;
  isMenuOpen: boolean;
  onToggleMenu: () => void;
  onLogout: () => void;
  isLoggingOut: boolean;
  /** Shown before the user's name, e.g. the events bell (composed by the app, which knows the features). */
  extras?: ReactNode;
}

export function AppHeader({
  userName,
  role,
  isMenuOpen,
  onToggleMenu,
  onLogout,
  isLoggingOut,
  extras,
}: AppHeaderProps) {
  return (
    <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b border-zinc-200 bg-white/90 px-4 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/90">
      <Button
        variant="ghost"
        size="sm"
        className="lg:hidden"
        aria-expanded={isMenuOpen}
        aria-controls="main-navigation"
        onClick={onToggleMenu}
      >
        Menu
      </Button>
      <Link to="/" className="text-base font-semibold tracking-wide">
        STATUS
      </Link>
      <div className="ml-auto flex items-center gap-2 sm:gap-3">
        {extras}
        <Link to="/profile" aria-label={`Profile (${userName})`} className="rounded text-sm hover:underline">
          <span className="hidden sm:inline">{userName}</span>
          <span className="sm:hidden">Profile</span>
        </Link>
        <Badge tone="accent">
          <span className="sr-only">Role: </span>
          {role}
        </Badge>
        <ThemeToggle />
        <Button variant="secondary" size="sm" onClick={onLogout} isLoading={isLoggingOut}>
          Log out
        </Button>
      </div>
    </header>
  );
}
