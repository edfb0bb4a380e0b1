import type { DashboardDetail } from "@status/shared";
import { Button } from "@/components/ui/button.tsx";
import { downloadJson, jsonFileName } from "@/lib/download-json.ts";
import { DeleteDashboardDialog } from "./delete-dashboard-dialog.tsx";

/** Open in Grafana, export the JSON model, and (for developers) delete. */
export function DashboardActions({
  detail,
  canEdit,
  onDeleted,
}: {
  detail: DashboardDetail;
  canEdit: boolean;
  onDeleted: () => void;
}) {
  const uid = typeof detail.dashboard.uid === "string" ? detail.dashboard.uid : "";
  return (
    <>
      <a
        href={detail.meta.url}
        target="_blank"
        rel="noreferrer"
        className="inline-flex h-9 items-center rounded-md px-4 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300"
      >
        Open in Grafana
      </a>
      <Button
        variant="secondary"
        onClick={() => downloadJson(jsonFileName(detail.dashboard.title, "dashboard"), detail.dashboard)}
      >
        Export JSON
      </Button>
      {canEdit && uid && (
        <DeleteDashboardDialog dashboard={{ uid, title: detail.dashboard.title }} onDeleted={onDeleted} />
      )}
    </>
  );
}
