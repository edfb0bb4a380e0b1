import { hasRole, type Role } from "@status/shared";
import { clsx } from "clsx";
import { NavLink } from "react-router";
import { NAV_ITEMS } from "./nav-items.ts";

export function SideNav({ role, onNavigate }: { role: Role; onNavigate?: () => void }) {
  const items = NAV_ITEMS.filter((item) => !item.minimumRole || hasRole(role, item.minimumRole));
  return (
    <nav aria-label="Main">
      <ul className="space-y-0.5">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink
              to={item.to}
              end={item.to === "/"}
              onClick={onNavigate}
              className={({ isActive }) =>
                clsx(
                  "block rounded-md px-3 py-2 text-sm",
                  isActive
                    ? "bg-indigo-50 font-medium text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                    : "text-zinc-700 hover:bg-zinc-200/60 dark:text-zinc-300 dark:hover:bg-zinc-800",
                )
              }
            >
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
