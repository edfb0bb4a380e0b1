import type { LibraryFramework } from "@status/shared";
import { Link } from "react-router";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { LoadError } from "@/components/ui/load-error.tsx";
import { PageSpinner } from "@/components/ui/spinner.tsx";
import { useInstallLibraryFramework, useLibrary } from "../api/library.ts";
import { frameworkPath } from "../utils/framework-path.ts";

function LibraryItem({ item, canInstall }: { item: LibraryFramework; canInstall: boolean }) {
  const install = useInstallLibraryFramework();
  const isInstalled = item.installedFrameworkId !== null;
  return (
    <li className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <p className="font-medium">{item.title}</p>
          <p className="text-xs text-zinc-500">
            {item.version} · OSCAL {item.oscalVersion} · {item.requirementCount} requirements in {item.groupCount}{" "}
            groups
          </p>
        </div>
        {isInstalled && item.installedFrameworkId && (
          <Link
            to={frameworkPath(item.installedFrameworkId)}
            className="text-sm text-indigo-700 hover:underline dark:text-indigo-300"
          >
            Open
          </Link>
        )}
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{item.description}</p>
      {canInstall && (
        <Button
          size="sm"
          variant={isInstalled ? "secondary" : "primary"}
          isLoading={install.isPending}
          aria-label={`${isInstalled ? "Reinstall" : "Install"} ${item.title}`}
          onClick={() => install.mutate(item.name)}
        >
          {isInstalled ? "Reinstall" : "Install"}
        </Button>
      )}
      {install.isError && <Alert title="The framework could not be installed">{install.error.message}</Alert>}
      {install.isSuccess && (
        <Alert variant="info">
          Installed: {install.data.counts.created} new, {install.data.counts.updated} changed,{" "}
          {install.data.counts.unchanged} unchanged requirements.
        </Alert>
      )}
    </li>
  );
}

/** The frameworks that ship with STATUS, installed in one click without any network access. */
export function FrameworkLibrary({ canInstall }: { canInstall: boolean }) {
  const libraryQuery = useLibrary();
  return (
    <section aria-labelledby="library-heading" className="space-y-3">
      <h2 id="library-heading" className="text-lg font-semibold">
        Library
      </h2>
      {libraryQuery.isPending && <PageSpinner label="Loading the library" />}
      {libraryQuery.isError && (
        <LoadError
          title="The library could not be loaded"
          error={libraryQuery.error}
          onRetry={() => void libraryQuery.refetch()}
        />
      )}
      {libraryQuery.data?.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No frameworks are bundled with this installation.</p>
      )}
      {libraryQuery.data && libraryQuery.data.length > 0 && (
        <ul className="grid gap-3 md:grid-cols-2">
          {libraryQuery.data.map((item) => (
            <LibraryItem key={item.name} item={item} canInstall={canInstall} />
          ))}
        </ul>
      )}
    </section>
  );
}
