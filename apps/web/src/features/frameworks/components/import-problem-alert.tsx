import { Alert } from "@/components/ui/alert.tsx";
import { isApiError } from "@/lib/api-client.ts";

/**
 * A refused import: the problem's detail and every issue it lists (invalid OSCAL comes back as a 422 whose
 * `errors[]` carry the JSON path of each schema error; a bad sheet names its rows).
 */
export function ImportProblemAlert({ title, error }: { title: string; error: Error }) {
  const issues = isApiError(error) ? error.errors : [];
  return (
    <Alert title={title}>
      <p>{error.message}</p>
      {issues.length > 0 && (
        <ul aria-label="Issues" className="mt-2 max-h-80 list-disc space-y-1 overflow-y-auto pl-5">
          {issues.map((issue, index) => (
            <li key={index}>
              <code className="text-xs">{issue.path}</code>: {issue.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}
